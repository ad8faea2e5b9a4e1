import BerthDiagnostics

/// Parses the short port syntax `[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]`, as Compose does: a published range with a
/// single target stays one entry, equal-length ranges expand pairwise, a target range without a published port expands.
public enum PortSyntax {
    public struct Failure: Error, Sendable, Hashable {
        public var message: String
    }

    public static func parseRange(_ text: String) -> PortRange? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, let lower = Int(parts[0]), (0...65535).contains(lower) else { return nil }
        guard parts.count == 2 else { return PortRange(lower) }
        guard let upper = Int(parts[1]), (0...65535).contains(upper), upper >= lower else { return nil }
        return PortRange(lower, upper)
    }

    public static func parse(_ spec: String, at location: SourceLocation) -> Result<[PortMapping], Failure> {
        var body = Substring(spec)
        var proto = "tcp"
        if let slash = body.lastIndex(of: "/") {
            proto = String(body[body.index(after: slash)...]).lowercased()
            body = body[..<slash]
            guard ["tcp", "udp", "sctp"].contains(proto) else {
                return .failure(Failure(message: "invalid protocol '\(proto)' in port '\(spec)' (tcp, udp or sctp)"))
            }
        }
        var hostIP: String?
        if body.hasPrefix("[") {
            guard let close = body.firstIndex(of: "]") else {
                return .failure(Failure(message: "invalid host address in port '\(spec)': missing ']'"))
            }
            hostIP = String(body[body.index(after: body.startIndex)..<close])
            body = body[body.index(after: close)...]
            guard body.hasPrefix(":") else { return .failure(Failure(message: "invalid port '\(spec)'")) }
            body = body.dropFirst()
        }
        var parts = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 2 {
            guard hostIP == nil else { return .failure(Failure(message: "invalid port '\(spec)'")) }
            hostIP = parts[0..<(parts.count - 2)].joined(separator: ":")
            parts = Array(parts.suffix(2))
        }
        if let ip = hostIP, !ip.isEmpty, !IPAddress.isValid(ip) {
            return .failure(Failure(message: "invalid host address '\(ip)' in port '\(spec)'"))
        }
        if hostIP == "" { hostIP = nil }
        let targetText = parts.last ?? ""
        guard let target = parseRange(targetText), target.lower > 0 else {
            return .failure(Failure(message: "invalid port '\(spec)': '\(targetText)' is not a port number (1-65535) or range"))
        }
        var published: PortRange?
        if parts.count == 2, !parts[0].isEmpty {
            guard let range = parseRange(parts[0]) else {
                return .failure(Failure(message: "invalid port '\(spec)': '\(parts[0])' is not a port number (0-65535) or range"))
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
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    public static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":") else { return false }
        let allowed = Set("0123456789abcdefABCDEF:.")
        guard text.allSatisfy({ allowed.contains($0) }) else { return false }
        let doubleColons = text.components(separatedBy: "::").count - 1
        guard doubleColons <= 1 else { return false }
        let groups = text.split(separator: ":", omittingEmptySubsequences: true)
        return groups.count <= 8 && groups.allSatisfy { $0.count <= 4 || $0.contains(".") }
    }
}
