import BerthPlan
import Foundation

/// Reads the host's listening sockets, and which process holds each where /proc lets us see it.
public struct HostPortScanner: Sendable {
    public var procRoot: String

    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// The listening sockets. Finding a socket's process means reading every process's file descriptors, so it is done
    /// only for sockets on `ownersFor` ports (all of them when nil): the ports a project could clash on.
    public func listeningSockets(ownersFor ports: ((Int) -> Bool)? = nil) -> [HostSocket] {
        // netlink describes this machine only; a test's other /proc root is read as files.
        let sockets = (procRoot == "/proc" ? ListeningSocketDiag.sockets() : nil) ?? procSockets()
        let owners = socketOwners(Set(sockets.filter { ports?($0.port) ?? true }.map(\.inode)))
        return sockets.map { socket in
            var socket = socket
            if let owner = owners[socket.inode] {
                socket.pid = owner.pid
                socket.process = owner.name
            }
            return socket
        }
    }

    /// The sockets as `/proc/net/{tcp,tcp6,udp,udp6}` lists them.
    func procSockets() -> [HostSocket] {
        var sockets: [HostSocket] = []
        for (file, proto, v6) in [("tcp", "tcp", false), ("tcp6", "tcp", true), ("udp", "udp", false), ("udp6", "udp", true)] {
            guard let text = ProcFile.read("\(procRoot)/net/\(file)") else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 9 else { continue }
                let state = fields[3]
                // TCP: only LISTEN (0A). UDP: unconnected sockets (07).
                guard (proto == "tcp" && state == "0A") || (proto == "udp" && state == "07") else { continue }
                let local = fields[1].split(separator: ":")
                guard local.count == 2, let port = Int(local[1], radix: 16) else { continue }
                let address = v6 ? Self.decodeIPv6(String(local[0])) : Self.decodeIPv4(String(local[0]))
                sockets.append(HostSocket(address: address, port: port, protocol: proto, inode: String(fields[9])))
            }
        }
        return sockets
    }

    static func decodeIPv4(_ hex: String) -> String {
        guard let value = UInt32(hex, radix: 16) else { return "0.0.0.0" }
        // /proc prints the address in host (little-endian) order.
        return [value & 0xFF, value >> 8 & 0xFF, value >> 16 & 0xFF, value >> 24 & 0xFF].map(String.init).joined(separator: ".")
    }

    static func decodeIPv6(_ hex: String) -> String {
        guard hex.count == 32 else { return "::" }
        var words: [UInt32] = []
        var index = hex.startIndex
        for _ in 0..<4 {
            let next = hex.index(index, offsetBy: 8)
            words.append(UInt32(hex[index..<next], radix: 16)?.byteSwapped ?? 0)
            index = next
        }
        if words == [0, 0, 0, 0] { return "::" }
        if words[0] == 0, words[1] == 0, words[2] == 0xFFFF {  // v4-mapped
            let v = words[3]
            return [v >> 24 & 0xFF, v >> 16 & 0xFF, v >> 8 & 0xFF, v & 0xFF].map(String.init).joined(separator: ".")
        }
        let groups = words.flatMap { [String($0 >> 16, radix: 16), String($0 & 0xFFFF, radix: 16)] }
        return groups.joined(separator: ":")
    }

    private func socketOwners(_ inodes: Set<String>) -> [String: (pid: Int, name: String)] {
        var owners: [String: (pid: Int, name: String)] = [:]
        guard !inodes.isEmpty else { return owners }
        for entry in Self.entries(procRoot) {
            guard let pid = Int(entry) else { continue }
            let fdDirectory = "\(procRoot)/\(entry)/fd"
            for fd in Self.entries(fdDirectory) {
                guard let target = Self.link("\(fdDirectory)/\(fd)"), target.hasPrefix("socket:[") else { continue }
                let inode = String(target.dropFirst(8).dropLast())
                guard inodes.contains(inode), owners[inode] == nil else { continue }
                let name = ProcFile.read("\(procRoot)/\(entry)/comm")?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
                owners[inode] = (pid, name)
            }
        }
        return owners
    }

    /// A directory's entries, read with readdir (much cheaper than Foundation for /proc's thousands of entries).
    static func entries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func link(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = readlink(path, &buffer, buffer.count)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
    }

    /// The host's ephemeral port range (`/proc/sys/net/ipv4/ip_local_port_range`).
    public func ephemeralRange() -> ClosedRange<Int>? {
        guard let text = ProcFile.read("\(procRoot)/sys/net/ipv4/ip_local_port_range") else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
        guard parts.count == 2, parts[0] <= parts[1] else { return nil }
        return parts[0]...parts[1]
    }
}
