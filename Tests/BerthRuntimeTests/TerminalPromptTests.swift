import DockerEngine
import Foundation
import Testing

/// What a user at a real terminal (tmux) sees: `up` asks before it recreates a volume whose configuration changed.
@Suite(.serialized) struct TerminalPromptTests {
    @Test(.enabled(if: Engine.available, "volume prompt: needs a Docker engine (scripts/start-engine.sh)"),
          .enabled(if: Tmux.available, "volume prompt: needs tmux (scripts/install-deps.sh)"))
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
        try Tmux.run(["new-session", "-d", "-s", session, "-x", "220", "-y", "50", command], output: false)
        defer { _ = try? Tmux.run(["kill-session", "-t", session], output: false) }
        let asked = try await Tmux.screen(session, showing: "[y/N]")
        #expect(asked.contains("error: volume '\(project.name)_data' exists with another configuration (changed: labels)"), "\(asked)")
        #expect(asked.contains("Recreate this volume (the data will be lost)? [y/N]"), "\(asked)")
        try Tmux.run(["send-keys", "-t", session, "y", "Enter"], output: false)
        let done = try await Tmux.screen(session, showing: "EXIT=")
        #expect(done.contains("Volume \(project.name)_data  Recreated"), "\(done)")
        #expect(done.contains("EXIT=0"), "\(done)")
        #expect(try project.berth(["plan", "-p", project.name]).status == 0)
    }
}
