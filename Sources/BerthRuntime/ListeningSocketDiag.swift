import BerthPlan
import Foundation

/// Lists listening TCP and unconnected UDP sockets through netlink's `sock_diag` (what `ss -l` uses). Reading
/// `/proc/net/tcp` makes the kernel walk the whole established-connection table; asking `sock_diag` for listeners
/// only walks the listening table, which made the host scan several times cheaper here.
enum ListeningSocketDiag {
    /// The sockets, or nil when netlink cannot be used (the caller falls back to /proc).
    static func sockets() -> [HostSocket]? {
        let fd = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 4 /* NETLINK_SOCK_DIAG */)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [HostSocket] = []
        let tcpListen: UInt32 = 1 << 10, udpUnconnected: UInt32 = 1 << 7
        for (family, proto, states, name) in [(UInt8(AF_INET), UInt8(6), tcpListen, "tcp"), (UInt8(AF_INET6), UInt8(6), tcpListen, "tcp"),
                                             (UInt8(AF_INET), UInt8(17), udpUnconnected, "udp"), (UInt8(AF_INET6), UInt8(17), udpUnconnected, "udp")] {
            guard let found = dump(fd, family: family, protocol: proto, states: states, name: name) else { return nil }
            result += found
        }
        return result
    }

    private static func dump(_ fd: Int32, family: UInt8, protocol proto: UInt8, states: UInt32, name: String) -> [HostSocket]? {
        // nlmsghdr (16 bytes) + inet_diag_req_v2 (56 bytes).
        var request = [UInt8](repeating: 0, count: 72)
        // netlink speaks the host's byte order.
        func put32(_ value: UInt32, at offset: Int) { withUnsafeBytes(of: value) { request.replaceSubrange(offset..<offset + 4, with: $0) } }
        func put16(_ value: UInt16, at offset: Int) { withUnsafeBytes(of: value) { request.replaceSubrange(offset..<offset + 2, with: $0) } }
        put32(72, at: 0)
        put16(20, at: 4)  // SOCK_DIAG_BY_FAMILY
        put16(0x1 | 0x300, at: 6)  // NLM_F_REQUEST | NLM_F_DUMP
        put32(1, at: 8)
        request[16] = family
        request[17] = proto
        put32(states, at: 20)
        guard send(fd, request, request.count, 0) == request.count else { return nil }
        var sockets: [HostSocket] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            var offset = 0
            while offset + 16 <= count {
                let length = Int(read32(buffer, offset))
                let type = read16(buffer, offset + 4)
                guard length >= 16, offset + length <= count else { return nil }
                // NLM_F_DUMP_INTR: the table changed during the dump, which may then be incomplete.
                if read16(buffer, offset + 6) & 0x10 != 0 { return nil }
                if type == 3 { return sockets }  // NLMSG_DONE
                if type == 2 { return nil }  // NLMSG_ERROR
                let message = offset + 16
                if length >= 16 + 72 {
                    let port = Int(UInt16(buffer[message + 4]) << 8 | UInt16(buffer[message + 5]))
                    let address = Self.address(buffer, at: message + 8, family: buffer[message])
                    let inode = read32(buffer, message + 68)
                    sockets.append(HostSocket(address: address, port: port, protocol: name, inode: String(inode),
                                              v6only: family == UInt8(AF_INET6) ? v6only(buffer, from: message + 72, to: offset + length) : nil))
                }
                offset += (length + 3) & ~3
            }
        }
    }

    /// The INET_DIAG_SKV6ONLY attribute (type 11, one byte), which the kernel adds to every IPv6 socket's message.
    private static func v6only(_ bytes: [UInt8], from start: Int, to end: Int) -> Bool? {
        var offset = start
        while offset + 4 <= end {
            let length = Int(read16(bytes, offset)), type = read16(bytes, offset + 2)
            guard length >= 4, offset + length <= end else { return nil }
            if type == 11, length >= 5 { return bytes[offset + 4] != 0 }
            offset += (length + 3) & ~3
        }
        return nil
    }

    private static func read32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
    }

    private static func read16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt16.self) }
    }

    /// The source address as /proc's decoding gives it: dotted IPv4, `::` for the IPv6 wildcard, v4-mapped as IPv4.
    private static func address(_ bytes: [UInt8], at offset: Int, family: UInt8) -> String {
        if family == UInt8(AF_INET) { return bytes[offset..<offset + 4].map(String.init).joined(separator: ".") }
        let raw = Array(bytes[offset..<offset + 16])
        if raw.allSatisfy({ $0 == 0 }) { return "::" }
        if raw[0..<10].allSatisfy({ $0 == 0 }) && raw[10] == 0xFF && raw[11] == 0xFF { return raw[12..<16].map(String.init).joined(separator: ".") }
        var text = [CChar](repeating: 0, count: 64)
        _ = raw.withUnsafeBytes { inet_ntop(AF_INET6, $0.baseAddress, &text, socklen_t(text.count)) }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
