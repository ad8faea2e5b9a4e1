import Foundation
import Testing

/// Ctrl-C at a real terminal (tmux): attached `up` stops the stack gracefully and exits 130, as Compose does; `logs -f`
/// stops following and exits 130, leaving the containers running.
@Suite(.serialized) struct InterruptTerminalTests {
    static let stack = "services:\n  ticker: {image: busybox:1.36, init: true, command: [sh, -c, \"while true; do echo tick; sleep 0.3; done\"]}\n"

    @Test(.enabled(if: Engine.available, "Ctrl-C: needs a Docker engine (scripts/start-engine.sh)"),
          .enabled(if: Tmux.available, "Ctrl-C: needs tmux (scripts/install-deps.sh)"))
    func ctrlCInAttachedUpAndLogsFollow() async throws {
        let project = try EngineProject(Self.stack)
        let n = project.name
        defer { _ = try? project.berth(["-p", n, "down", "-t", "0"]) }
        let binary = EngineProject.binary.path

        let up = "berth-up-\(n)"
        try Tmux.start(up, width: 150, height: 40, "cd \(project.directory.path) && \(binary) -p \(n) up --progress plain; echo EXIT=$?; sleep 60")
        defer { Tmux.kill(up) }
        let following = try await Tmux.screen(up, showing: "ticker-1  | tick")
        #expect(following.contains("ticker-1  | tick"), "\(following)")
        try Tmux.type(up, "C-c")
        let stopped = try await Tmux.screen(up, showing: "EXIT=")
        #expect(stopped.contains("Gracefully stopping...") && stopped.contains("Container \(n)-ticker-1  Stopped") && stopped.contains("EXIT=130"), "\(stopped)")
        #expect(try RunEngineTests.inspect("{{.State.Status}}", "\(n)-ticker-1") == "exited")

        #expect(try project.berth(["-p", n, "up", "-d"]).status == 0)
        let logs = "berth-logs-\(n)"
        try Tmux.start(logs, width: 150, height: 40, "cd \(project.directory.path) && \(binary) -p \(n) logs -f; echo EXIT=$?; sleep 60")
        defer { Tmux.kill(logs) }
        _ = try await Tmux.screen(logs, showing: "ticker-1  | tick")
        try Tmux.type(logs, "C-c")
        let ended = try await Tmux.screen(logs, showing: "EXIT=")
        #expect(ended.contains("EXIT=130"), "\(ended)")
        #expect(try RunEngineTests.inspect("{{.State.Status}}", "\(n)-ticker-1") == "running", "logs -f only stopped following")
    }
}
