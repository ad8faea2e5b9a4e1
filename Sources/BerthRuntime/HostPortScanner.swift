import BerthPlan
import Foundation

/// Reads the host's listening sockets, and which process holds each where /proc lets us see it.
public struct HostPortScanner: Sendable {
    public var procRoot: String

    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    public func listeningSockets() -> [HostSocket] {
        var sockets: [HostSocket] = []
        for (file, proto, v6) in [("tcp", "tcp", false), ("tcp6", "tcp", true), ("udp", "udp", false), ("udp6", "udp", true)] {
            guard let text = try? String(contentsOfFile: "\(procRoot)/net/\(file)", encoding: .utf8) else { continue }
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
        let owners = socketOwners(Set(sockets.map(\.inode)))
        return sockets.map { socket in
            var socket = socket
            if let owner = owners[socket.inode] {
                socket.pid = owner.pid
                socket.process = owner.name
            }
            return socket
        }
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
        guard !inodes.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: procRoot) else { return owners }
        for entry in entries {
            guard let pid = Int(entry) else { continue }
            let fdDirectory = "\(procRoot)/\(entry)/fd"
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: fdDirectory) else { continue }
            for fd in fds {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(fd)"),
                      target.hasPrefix("socket:[") else { continue }
                let inode = String(target.dropFirst(8).dropLast())
                guard inodes.contains(inode), owners[inode] == nil else { continue }
                let name = (try? String(contentsOfFile: "\(procRoot)/\(entry)/comm", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
                owners[inode] = (pid, name)
            }
        }
        return owners
    }

    /// The host's ephemeral port range (`/proc/sys/net/ipv4/ip_local_port_range`).
    public func ephemeralRange() -> ClosedRange<Int>? {
        guard let text = try? String(contentsOfFile: "\(procRoot)/sys/net/ipv4/ip_local_port_range", encoding: .utf8) else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
        guard parts.count == 2, parts[0] <= parts[1] else { return nil }
        return parts[0]...parts[1]
    }
}
