import Foundation

/// A socket bound on the host, read from `/proc/net/{tcp,tcp6,udp,udp6}`.
public struct HostSocket: Sendable, Hashable {
    public var address: String
    public var port: Int
    public var `protocol`: String
    public var inode: String
    public var process: String?
    public var pid: Int?
    /// For an IPv6 socket: whether it is IPv6-only (IPV6_V6ONLY), from netlink; nil when unknown.
    public var v6only: Bool?

    public init(address: String, port: Int, protocol: String, inode: String, process: String? = nil, pid: Int? = nil, v6only: Bool? = nil) {
        self.v6only = v6only
        self.address = address
        self.port = port
        self.protocol = `protocol`
        self.inode = inode
        self.process = process
        self.pid = pid
    }

    public var holder: String {
        guard let process, let pid else { return "another process" }
        return "'\(process)' (pid \(pid))"
    }
}
