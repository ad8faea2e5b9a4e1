import Foundation

/// Keeps two mutating commands on the same project and engine from interleaving: an exclusive `flock(2)` on
/// `/run/lock/berth/<engine id>-<project>.lock` (or the same under `/tmp` where `/run/lock` cannot be written). It
/// protects runs on this host only. The kernel releases it when the process ends, however it ends.
public final class ProjectLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Where the locks live: `/run/lock/berth`, or `/tmp/berth-locks` where that cannot be written.
    public static let directory: String = {
        for directory in ["/run/lock/berth", "/tmp/berth-locks"] {
            if access(directory, W_OK) == 0 { return directory }
            // Every user's runs must meet on the same lock files: the directory is world-writable and sticky, which
            // the umask would otherwise take away.
            if mkdir(directory, 0o1777) == 0 { chmod(directory, 0o1777) }
            if access(directory, W_OK) == 0 { return directory }
        }
        return "/tmp"
    }()

    /// The lock file for a project on an engine.
    public static func path(engineID: String, project: String) -> String {
        let engine = engineID.isEmpty ? "local" : engineID.map { $0.isLetter || $0.isNumber ? $0 : "_" }.reduce(into: "") { $0.append($1) }
        return "\(directory)/\(engine)-\(project).lock"
    }

    /// Takes the lock, waiting for another holder to release it; `onWait` is called once if it has to wait.
    public static func acquire(engineID: String, project: String, onWait: @Sendable () -> Void = {}) async throws -> ProjectLock {
        let path = path(engineID: engineID, project: project)
        // flock needs only a descriptor: a lock file another user made (and cannot be written here) is opened read-only.
        var descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        if descriptor < 0 && errno == EACCES { descriptor = open(path, O_RDONLY | O_CLOEXEC) }
        if descriptor >= 0 { fchmod(descriptor, 0o666) }
        guard descriptor >= 0 else {
            throw RuntimeError("lock-failed", "cannot open the project lock '\(path)': \(String(cString: strerror(errno)))", at: nil)
        }
        var told = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw RuntimeError("lock-failed", "cannot lock '\(path)': \(reason)", at: nil)
            }
            if !told {
                onWait()
                told = true
            }
            do {
                try await Task.sleep(for: .milliseconds(25))
            } catch {
                close(descriptor)
                throw error
            }
        }
        return ProjectLock(path: path, descriptor: descriptor)
    }

    /// Releases the lock before the object goes (before following logs, say).
    public func release() {
        flock(descriptor, LOCK_UN)
    }
}
