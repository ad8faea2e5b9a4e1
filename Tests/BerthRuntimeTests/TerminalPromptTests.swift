import DockerEngine
import Foundation
import Testing

/// What a user at a real terminal (tmux) sees: `up` asks before it recreates a volume whose configuration changed.
@Suite(.serialized) struct TerminalPromptTests {
    static let tmuxAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

    /// Runs a tmux client and returns what it printed. It is spawned and reaped here rather than through Foundation's
    /// `Process`: the first client forks the tmux server, which inherits the descriptor `Process` watches for the
    /// child's end, so `waitUntilExit` would wait for the server (seen on a clean machine, where no server ran yet).
    @discardableResult
    func tmux(_ arguments: [String], output: Bool = true) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("berth-tmux-\(UUID().uuidString)").path
        defer { unlink(file) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ? file : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = (["tmux"] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, argv, environ)
        try #require(spawned == 0, "tmux did not start: \(spawned)")
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return output ? ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "") : ""
    }

    /// Polls the pane until it shows `text`, for up to `seconds`.
    func screen(_ session: String, showing text: String, seconds: Int = 20) async throws -> String {
        var last = ""
        for _ in 0..<(seconds * 10) {
            last = try tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", session])
            if last.contains(text) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    @Test(.enabled(if: Engine.available, "volume prompt: needs a Docker engine (scripts/start-engine.sh)"),
          .enabled(if: tmuxAvailable, "volume prompt: needs tmux (scripts/install-deps.sh)"))
    func upAsksBeforeItRecreatesAChangedVolume() async throws {
        let yaml = { (edit: Int) in
            "services:\n  app: {image: busybox:1.36, init: true, command: [sleep, \"3600\"], volumes: [\"data:/data\"]}\nvolumes:\n  data: {labels: {edit: \"\(edit)\"}}\n"
        }
        let project = try EngineProject(yaml(0))
        defer { _ = try? project.berth(["down", "-v", "-p", project.name, "-t", "0"]) }
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        try Data(yaml(1).utf8).write(to: project.directory.appendingPathComponent("compose.yaml"))
        let session = "berth-\(project.name)"
        let command = "cd \(project.directory.path) && \(EngineProject.binary.path) up -d --progress plain -p \(project.name); echo EXIT=$?; sleep 60"
        try tmux(["new-session", "-d", "-s", session, "-x", "220", "-y", "50", command], output: false)
        defer { _ = try? tmux(["kill-session", "-t", session], output: false) }
        let asked = try await screen(session, showing: "[y/N]")
        #expect(asked.contains("error: volume '\(project.name)_data' exists with another configuration (changed: labels)"), "\(asked)")
        #expect(asked.contains("Recreate this volume (the data will be lost)? [y/N]"), "\(asked)")
        try tmux(["send-keys", "-t", session, "y", "Enter"], output: false)
        let done = try await screen(session, showing: "EXIT=")
        #expect(done.contains("Volume \(project.name)_data  Recreated"), "\(done)")
        #expect(done.contains("EXIT=0"), "\(done)")
        #expect(try project.berth(["plan", "-p", project.name]).status == 0)
    }
}
