import DockerEngine
import Foundation
import Testing

/// `exec` through the engine's hijacked connection: stdin from a pipe and from a file reaches the process, its exit
/// code is Berth's, the flags reach the engine, and at a real terminal (tmux) the process has a TTY that follows the
/// window and takes Ctrl-C.
@Suite(.serialized) struct ExecEngineTests {
    static let stack = "services:\n  app: {image: busybox:1.36, init: true, command: [sleep, \"600\"]}\n"

    @Test(.enabled(if: Engine.available, "exec: needs a Docker engine (scripts/start-engine.sh)"))
    func execStreamsStdinAndHonoursItsFlags() throws {
        let project = try EngineProject(Self.stack)
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let n = project.name
        #expect(try project.berth(["up", "-d", "-p", n]).status == 0)

        // A pipe, through a shell as a user types it; the process sees end-of-file and its exit code is Berth's.
        let piped = try CIIntegrationTests.shell(["sh", "-c", "printf 'one\\ntwo\\n' | '\(EngineProject.binary.path)' exec -T -p \(n) app sh -c 'wc -l; exit 3'"],
                                                 in: project.directory)
        #expect(piped.status == 3, "\(piped.out)")
        #expect(piped.out.trimmingCharacters(in: .whitespacesAndNewlines) == "2", "\(piped.out)")

        // A file larger than one read, streamed whole (a dump restored with `exec -T db psql < dump.sql`).
        let dump = project.directory.appendingPathComponent("dump.txt")
        try Data((1...50_000).map { "row \($0)\n" }.joined().utf8).write(to: dump)
        let restored = try project.berth(["exec", "-T", "-p", n, "app", "sh", "-c", "cat > /tmp/dump && md5sum < /tmp/dump"], stdin: dump)
        #expect(restored.status == 0, "\(restored.err)")
        let local = try CIIntegrationTests.shell(["sh", "-c", "md5sum < dump.txt"], in: project.directory).out
        #expect(restored.out == local, "the file arrived whole: \(restored.out) vs \(local)")

        // -e (written and passed from Berth's environment), -w and -u reach the engine.
        let flags = try project.berth(["exec", "-T", "-e", "GREETING=hi", "-e", "BERTH_PASSED", "-e", "BERTH_UNSET", "-w", "/tmp", "-u", "1000:1000",
                                       "-p", n, "app", "sh", "-c", "echo $GREETING $BERTH_PASSED ${BERTH_UNSET-unset} $(pwd) $(id -u):$(id -g)"],
                                      environment: ["BERTH_PASSED": "passed"])
        #expect(flags.out == "hi passed unset /tmp 1000:1000\n", "\(flags.out) \(flags.err)")

        // -d returns at once and leaves the process running in the container.
        let detached = try project.berth(["exec", "-d", "-p", n, "app", "sh", "-c", "sleep 1; touch /tmp/detached-done"])
        #expect(detached.status == 0 && detached.out.isEmpty, "\(detached.err)")
        var seen = false
        for _ in 0..<50 where !seen {
            seen = try project.berth(["exec", "-T", "-p", n, "app", "test", "-f", "/tmp/detached-done"]).status == 0
            if !seen { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(seen, "the detached process ran to its end")

        // No command: a usage error with a hint, not a shell that exits at once.
        let bare = try project.berth(["exec", "-p", n, "app"])
        #expect(bare.status == 64 && bare.err.contains("exec needs a command") && bare.err.contains("berth exec app sh"), "\(bare.err)")
        let missing = try project.berth(["exec", "--index", "2", "-p", n, "app", "true"])
        #expect(missing.status == 1 && missing.err.contains("service \"app\" is not running container #2"), "\(missing.err)")
    }

    @Test(.enabled(if: Engine.available, "exec -it: needs a Docker engine (scripts/start-engine.sh)"),
          .enabled(if: Tmux.available, "exec -it: needs tmux (scripts/install-deps.sh)"))
    func interactiveExecHasATerminalThatFollowsTheWindow() async throws {
        let project = try EngineProject(Self.stack)
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        let session = "berth-exec-\(project.name)"
        let command = "cd \(project.directory.path) && \(EngineProject.binary.path) exec -p \(project.name) app sh; echo EXIT=$?; sleep 60"
        try Tmux.start(session, width: 120, height: 40, command)
        defer { Tmux.kill(session) }
        _ = try await Tmux.screen(session, showing: "/ #")
        try Tmux.type(session, "echo tty=$(tty) size=$(stty size)", "Enter")
        let sized = try await Tmux.screen(session, showing: "size=40 120")
        #expect(sized.contains("tty=/dev/pts/") && sized.contains("size=40 120"), "\(sized)")

        try Tmux.run(["resize-window", "-t", session, "-x", "100", "-y", "30"], output: false)
        var resized = ""
        for _ in 0..<50 where !resized.contains("now=30 100") {
            try Tmux.type(session, "echo now=$(stty size)", "Enter")
            resized = try await Tmux.screen(session, showing: "now=30 100", seconds: 1)
        }
        #expect(resized.contains("now=30 100"), "the TTY follows the window: \(resized)")

        try Tmux.type(session, "sleep 300", "Enter")
        try await Task.sleep(for: .milliseconds(300))
        try Tmux.type(session, "C-c")
        try Tmux.type(session, "echo interrupted=$?", "Enter")
        let interrupted = try await Tmux.screen(session, showing: "interrupted=130")
        #expect(interrupted.contains("interrupted=130"), "Ctrl-C went to the process, not to Berth: \(interrupted)")

        try Tmux.type(session, "exit 7", "Enter")
        let ended = try await Tmux.screen(session, showing: "EXIT=")
        #expect(ended.contains("EXIT=7"), "\(ended)")
    }

    /// `attach`: a TTY container's terminal (raw mode, the window's size, its exit code), and without a TTY, Ctrl-C
    /// passed on to the container (`--sig-proxy`), whose trap decides the exit code.
    @Test(.enabled(if: Engine.available, "attach: needs a Docker engine (scripts/start-engine.sh)"),
          .enabled(if: Tmux.available, "attach: needs tmux (scripts/install-deps.sh)"))
    func attachJoinsTheContainersOwnStreams() async throws {
        let project = try EngineProject("""
        services:
          shell: {image: busybox:1.36, tty: true, stdin_open: true, command: [sh]}
          pinger: {image: busybox:1.36, command: [sh, -c, "trap 'echo got INT; exit 5' INT; while true; do echo tick; sleep 0.3; done"]}
        """)
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        let shell = "berth-attach-\(project.name)"
        try Tmux.start(shell, width: 100, height: 30, "cd \(project.directory.path) && \(EngineProject.binary.path) -p \(project.name) attach shell; echo EXIT=$?; sleep 60")
        defer { Tmux.kill(shell) }
        var shown = ""
        for _ in 0..<50 where !shown.contains("attached-5 30 100") {
            try Tmux.type(shell, "echo attached-$((2+3)) $(stty size)", "Enter")
            shown = try await Tmux.screen(shell, showing: "attached-5 30 100", seconds: 1)
        }
        #expect(shown.contains("attached-5 30 100"), "\(shown)")
        try Tmux.type(shell, "exit 6", "Enter")
        #expect(try await Tmux.screen(shell, showing: "EXIT=").contains("EXIT=6"))

        let pinger = "berth-attach2-\(project.name)"
        try Tmux.start(pinger, width: 100, height: 30, "cd \(project.directory.path) && \(EngineProject.binary.path) -p \(project.name) attach pinger; echo EXIT=$?; sleep 60")
        defer { Tmux.kill(pinger) }
        _ = try await Tmux.screen(pinger, showing: "tick")
        var ended = ""
        for _ in 0..<50 where !ended.contains("EXIT=") {
            try Tmux.type(pinger, "C-c")
            ended = try await Tmux.screen(pinger, showing: "EXIT=", seconds: 1)
        }
        #expect(ended.contains("got INT") && ended.contains("EXIT=5"), "\(ended)")
    }
}
