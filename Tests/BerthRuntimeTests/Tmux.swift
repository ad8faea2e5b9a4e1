import Foundation
import Testing

/// tmux, the real terminal of the interactive tests: sessions are started, typed into and read back with deadlines.
enum Tmux {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

    /// Runs a tmux client and returns what it printed. It is spawned and reaped here rather than through Foundation's
    /// `Process`: the first client forks the tmux server, which inherits the descriptor `Process` watches for the
    /// child's end, so `waitUntilExit` would wait for the server (seen on a clean machine, where no server ran yet).
    @discardableResult
    static func run(_ arguments: [String], output: Bool = true) throws -> String {
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
    static func screen(_ session: String, showing text: String, seconds: Int = 20) async throws -> String {
        var last = ""
        for _ in 0..<(seconds * 10) {
            last = try run(["capture-pane", "-p", "-J", "-S", "-", "-t", session])
            if last.contains(text) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    /// Starts a detached session of the given size running `command`.
    static func start(_ session: String, width: Int, height: Int, _ command: String) throws {
        try run(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), command], output: false)
    }

    /// Types into the session: text, or key names such as `Enter` and `C-c`.
    static func type(_ session: String, _ keys: String...) throws {
        try run(["send-keys", "-t", session] + keys, output: false)
    }

    static func kill(_ session: String) {
        _ = try? run(["kill-session", "-t", session], output: false)
    }
}
