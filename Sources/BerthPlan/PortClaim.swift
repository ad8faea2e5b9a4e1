import BerthDiagnostics
import BerthSpec

/// A host address a claim binds: a specific address, or one of the wildcards.
public enum BindAddress: Sendable, Hashable, CustomStringConvertible {
    /// `0.0.0.0`: every IPv4 address.
    case anyIPv4
    /// `::` (or no host IP, which Docker binds dual-stack): every IPv6 and every IPv4 address.
    case anyIPv6
    case ipv4(String)
    case ipv6(String)

    public init(_ text: String?) {
        guard let text, !text.isEmpty else { self = .anyIPv6; return }
        if text == "0.0.0.0" { self = .anyIPv4; return }
        if text == "::" || text == "[::]" { self = .anyIPv6; return }
        let bare = text.hasPrefix("[") ? String(text.dropFirst().dropLast()) : text
        if let expanded = Subnet.ipv6Value(bare) {
            // Normalise so that ::1 and 0:0:0:0:0:0:0:1 compare equal.
            self = .ipv6(String(expanded.0, radix: 16) + ":" + String(expanded.1, radix: 16))
        } else {
            self = .ipv4(bare)
        }
    }

    public var description: String {
        switch self {
        case .anyIPv4: "0.0.0.0"
        case .anyIPv6: "*"
        case .ipv4(let address): address
        case .ipv6(let normalised):
            if normalised == "0:1" { "[::1]" } else { "[\(normalised)]" }
        }
    }

    /// The address in words, for messages.
    public var spoken: String {
        switch self {
        case .anyIPv6: "all addresses"
        case .anyIPv4: "all IPv4 addresses"
        default: description
        }
    }

    public func overlaps(_ other: BindAddress) -> Bool {
        switch (self, other) {
        case (.anyIPv6, _), (_, .anyIPv6): return true
        case (.anyIPv4, .anyIPv4), (.anyIPv4, .ipv4), (.ipv4, .anyIPv4): return true
        case (.ipv4(let a), .ipv4(let b)): return a == b
        case (.ipv6(let a), .ipv6(let b)): return a == b
        default: return false
        }
    }
}

/// One host port (or range) that a service instance will bind.
public struct PortClaim: Sendable, Hashable {
    public enum Origin: String, Sendable, Hashable {
        case published, hostNetworkPort = "host network", expose, image = "image ExposedPorts"
    }

    public var service: String
    public var replica: Int?
    public var address: BindAddress
    public var ports: PortRange
    public var `protocol`: String
    public var networkMode: String
    public var origin: Origin
    public var location: SourceLocation

    public var portText: String { "\(ports)/\(self.protocol)" }

    public func overlaps(_ other: PortClaim) -> Bool {
        self.protocol == other.protocol && ports.lower <= other.ports.upper && other.ports.lower <= ports.upper
            && address.overlaps(other.address)
    }

    public var who: String { replica.map { "\(service) (replica \($0))" } ?? service }
}
