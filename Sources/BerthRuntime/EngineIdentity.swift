import BerthHashing
import BerthPlan
import DockerEngine
import Foundation

/// Which engine a socket leads to: its ID (`GET /info`, which names the project lock), API version and OS type.
/// `/info` costs the engine about 9 ms, more than any other request of a no-op `up`, and `/_ping` is a round trip
/// before any other request can go, so both answers are remembered per socket: in a file named after the socket's
/// path, inode and modification time, which change when the engine restarts and makes its socket again.
public struct EngineIdentity: Sendable, Hashable {
    public var id: String
    public var apiVersion: String
    public var osType: String
    /// What the engine's host and configuration allow, from the same `/info` answer (it changes only when the engine
    /// restarts, which makes a new socket, or reloads its configuration).
    public var capabilities: EngineSnapshot.Capabilities

    /// Resolves the identity, from the remembered answers when the socket is the same one, and settles the client's
    /// API version from it.
    public static func resolve(client: DockerClient) async throws -> EngineIdentity {
        // A TCP engine has no socket file to tell a restart by, so it is asked each time.
        let file = client.endpoint.socketPath.flatMap(cacheFile(socket:))
        // Only a file this user wrote is trusted: the directory is shared by every user.
        var owner = stat()
        if let file, stat(file, &owner) == 0, owner.st_uid == geteuid(), let text = try? String(contentsOfFile: file, encoding: .utf8) {
            let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 8, !parts[0].isEmpty, let cpus = Int(parts[3]), let memory = Int64(parts[4]) {
                await client.adopt(version: parts[1], osType: parts[2])
                let capabilities = EngineSnapshot.Capabilities(apiVersion: parts[1], cpus: cpus, memory: memory,
                                                               logDrivers: parts[5].split(separator: ",").map(String.init),
                                                               runtimes: parts[6].split(separator: ",").map(String.init), storage: parts[7])
                return EngineIdentity(id: parts[0], apiVersion: parts[1], osType: parts[2], capabilities: capabilities)
            }
        }
        let (version, osType) = try await client.negotiate()
        let info = try await client.info()
        let capabilities = EngineSnapshot.Capabilities(apiVersion: version, cpus: info.cpus, memory: info.memory, logDrivers: info.logDrivers,
                                                       runtimes: info.runtimes, storage: info.storage)
        let identity = EngineIdentity(id: info.id, apiVersion: version, osType: osType, capabilities: capabilities)
        if let file {
            let lines = [identity.id, version, osType, String(info.cpus), String(info.memory), info.logDrivers.joined(separator: ","),
                         info.runtimes.joined(separator: ","), info.storage]
            try? Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        }
        return identity
    }

    static func cacheFile(socket: String) -> String? {
        var status = stat()
        guard stat(socket, &status) == 0 else { return nil }
        let key = "\(String(SHA256.hex(socket).prefix(16)))-\(status.st_ino)-\(status.st_mtim.tv_sec)-\(status.st_mtim.tv_nsec)"
        return "\(ProjectLock.directory)/engine-\(geteuid())-\(key)"
    }
}
