import BerthDiagnostics
import BerthSpec
import DockerEngine
import Foundation

/// `post_start` and `pre_stop` hooks, run through the engine's exec as docker compose runs them (pkg/compose/hook.go):
/// with the hook's user, privileged flag, working directory and environment, and a TTY when the service has one. A
/// hook that exits non-zero is an error at its line, with the status and the last lines of its output.
extension Executor {
    /// Starts a container, then runs the service's `post_start` hooks in it.
    func start(_ id: String, name: String, service: Service) async throws {
        try await client.startContainer(id)
        try await runHooks(service.postStart, kind: "post_start", container: id, name: name, service: service)
    }

    /// Runs the service's `pre_stop` hooks in a container, then stops it.
    func stop(_ id: String, name: String, service: Service, timeout: Int?) async throws {
        try await runHooks(service.preStop, kind: "pre_stop", container: id, name: name, service: service)
        try await client.stopContainer(id, timeout: timeout)
    }

    func runHooks(_ hooks: [LifecycleHook], kind: String, container id: String, name: String, service: Service) async throws(RuntimeError) {
        for hook in hooks {
            let output = HookOutput()
            let status: Int
            do {
                status = try await client.exec(id, command: hook.command, tty: service.tty, user: hook.user, privileged: hook.privileged,
                                               workingDir: hook.workingDir, environment: hook.environment.compactMap { entry in entry.value.map { "\(entry.key)=\($0)" } }) {
                    output.append($0, $1)
                }
            } catch {
                throw RuntimeError("hook-failed", "service '\(service.name)': the \(kind) hook could not run in '\(name)': \((error as? DockerError)?.message ?? "\(error)")",
                                   at: hook.location, service: service.name)
            }
            guard status == 0 else {
                let tail = output.tail
                throw RuntimeError("hook-failed", "service '\(service.name)': the \(kind) hook exited with status \(status) in '\(name)'\(tail.isEmpty ? "" : ": \(tail)")",
                                   at: hook.location, service: service.name)
            }
        }
    }
}

/// A hook's output, kept to its last 2 KB; stderr is preferred for the message when there is any (as Compose does).
final class HookOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var stdout: [UInt8] = []
    private var stderr: [UInt8] = []

    func append(_ stream: DockerStreamDemultiplexer.Stream, _ bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        if stream == .stderr { stderr = Array((stderr + bytes).suffix(2048)) } else { stdout = Array((stdout + bytes).suffix(2048)) }
    }

    /// The last 10 lines, on one line.
    var tail: String {
        lock.lock()
        defer { lock.unlock() }
        let text = String(decoding: stderr.isEmpty ? stdout : stderr, as: UTF8.self)
        return text.split(separator: "\n").suffix(10).joined(separator: " / ").trimmingCharacters(in: .whitespaces)
    }
}
