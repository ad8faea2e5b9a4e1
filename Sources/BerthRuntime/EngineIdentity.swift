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

    /// Resolves the identity, from the remembered answers when the socket is the same one, and settles the client's
    /// API version from it.
    public static func resolve(client: DockerClient) async throws -> EngineIdentity {
        // A TCP engine has no socket file to tell a restart by, so it is asked each time.
        let file = client.endpoint.socketPath.flatMap(cacheFile(socket:))
        // Only a file this user wrote is trusted: the directory is shared by every user.
        var owner = stat()
        if let file, stat(file, &owner) == 0, owner.st_uid == geteuid(), let text = try? String(contentsOfFile: file, encoding: .utf8) {
            let parts = text.split(separator: "\n").map(String.init)
            if parts.count == 3, !parts[0].isEmpty {
                await client.adopt(version: parts[1], osType: parts[2])
                return EngineIdentity(id: parts[0], apiVersion: parts[1], osType: parts[2])
            }
        }
        let (version, osType) = try await client.negotiate()
        let identity = EngineIdentity(id: try await client.info().id, apiVersion: version, osType: osType)
        if let file {
            try? Data("\(identity.id)\n\(version)\n\(osType)".utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
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
