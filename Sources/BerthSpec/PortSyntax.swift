import BerthDiagnostics
import Foundation

/// Parses the short port syntax `[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]`, as Compose does: a published range with a
/// single target stays one entry, equal-length ranges expand pairwise, a target range without a published port expands.
public enum PortSyntax {
    public struct Failure: Error, Sendable, Hashable {
        public var message: String
    }

    /// Parses `80` or `8000-8010` (bytes, not characters: this runs for every port of every service).
    public static func parseRange(_ text: some StringProtocol) -> PortRange? {
        var lower = 0, upper = 0, digits = 0, sawDash = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") {
                guard !sawDash, digits > 0 else { return nil }
                sawDash = true
                digits = 0
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 6 else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            if sawDash { upper = upper * 10 + digit } else { lower = lower * 10 + digit }
            digits += 1
        }
        guard digits > 0, lower <= 65535 else { return nil }
        guard sawDash else { return PortRange(lower) }
        guard upper <= 65535, upper >= lower else { return nil }
        return PortRange(lower, upper)
    }

    public static func parse(_ spec: String, at location: SourceLocation) -> Result<[PortMapping], Failure> {
        var body = Substring(spec)
        var proto = "tcp"
        if let slash = body.utf8.lastIndex(of: UInt8(ascii: "/")) {
            proto = String(body[body.utf8.index(after: slash)...]).lowercased()
            body = body[..<slash]
            guard proto == "tcp" || proto == "udp" || proto == "sctp" else {
                return .failure(Failure(message: "invalid protocol '\(proto)' in port '\(spec)' (tcp, udp or sctp)"))
            }
        }
        var hostIP: String?
        if body.utf8.first == UInt8(ascii: "[") {
            guard let close = body.utf8.firstIndex(of: UInt8(ascii: "]")) else {
                return .failure(Failure(message: "invalid host address in port '\(spec)': missing ']'"))
            }
            hostIP = String(body[body.utf8.index(after: body.startIndex)..<close])
            body = body[body.utf8.index(after: close)...]
            guard body.utf8.first == UInt8(ascii: ":") else { return .failure(Failure(message: "invalid port '\(spec)'")) }
            body = body.dropFirst()
        }
        // The last two ':'-separated parts are PUBLISHED:TARGET; anything before them is the host address.
        let colon = UInt8(ascii: ":")
        let last = body.utf8.lastIndex(of: colon)
        let targetText = last.map { body[body.utf8.index(after: $0)...] } ?? body
        var publishedText: Substring?
        if let last {
            let head = body[..<last]
            if let previous = head.utf8.lastIndex(of: colon) {
                guard hostIP == nil else { return .failure(Failure(message: "invalid port '\(spec)'")) }
                hostIP = String(head[..<previous])
                publishedText = head[head.utf8.index(after: previous)...]
            } else {
                publishedText = head
            }
        }
        if let ip = hostIP, !ip.isEmpty, !IPAddress.isValid(ip) {
            return .failure(Failure(message: "invalid host address '\(ip)' in port '\(spec)'"))
        }
        if hostIP == "" { hostIP = nil }
        guard let target = parseRange(targetText), target.lower > 0 else {
            return .failure(Failure(message: "invalid port '\(spec)': '\(targetText)' is not a port number (1-65535) or range"))
        }
        var published: PortRange?
        if let publishedText, !publishedText.isEmpty {
            guard let range = parseRange(publishedText) else {
                return .failure(Failure(message: "invalid port '\(spec)': '\(publishedText)' is not a port number (0-65535) or range"))
            }
            published = range
        }
        func mapping(_ target: Int, _ published: PortRange?) -> PortMapping {
            PortMapping(target: target, published: published.flatMap { $0.lower == 0 && $0.upper == 0 ? nil : $0 },
                        hostIP: hostIP, protocol: proto, location: location)
        }
        if target.count == 1 {
            return .success([mapping(target.lower, published)])
        }
        if let published {
            guard published.count == target.count else {
                return .failure(Failure(message: "invalid port '\(spec)': the published range \(published) and the target range \(target) differ in size"))
            }
            return .success((0..<target.count).map { mapping(target.lower + $0, PortRange(published.lower + $0)) })
        }
        return .success((target.lower...target.upper).map { mapping($0, nil) })
    }
}

/// Small checks on textual IP addresses.
public enum IPAddress {
    public static func isValid(_ text: String) -> Bool { isIPv4(text) || isIPv6(text) }

    public static func isIPv4(_ text: String) -> Bool { ipv4Value(text) != nil }

    public static func ipv4Value(_ text: String) -> UInt32? {
        var value: UInt32 = 0, octet: UInt32 = 0, digits = 0, dots = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0 else { return nil }
                value = value << 8 | octet
                octet = 0
                digits = 0
                dots += 1
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 else { return nil }
            octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
            guard octet <= 255 else { return nil }
            digits += 1
        }
        guard dots == 3, digits > 0 else { return nil }
        return value << 8 | octet
    }

    /// A literal IPv6 address as the kernel reads one (`inet_pton`): eight groups, or fewer around one `::`, with an
    /// optional IPv4 tail. `1:2` is not one.
    public static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return text.withCString { inet_pton(AF_INET6, $0, &address) } == 1
    }
}
