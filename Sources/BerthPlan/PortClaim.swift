import BerthDiagnostics
import BerthSpec

/// A host address a claim binds: a specific address, or one of the wildcards. Verified on this engine (20.10, with
/// docker-proxy): a publish without a host IP binds `0.0.0.0` and `::`, and the `::` listener is IPv6-only (Go's
/// `tcp6` sets IPV6_V6ONLY), so `[::]:P` and `0.0.0.0:P` publishes coexist, while `[::]:P` and `[::1]:P` clash, and
/// `0.0.0.0:P` and `127.0.0.1:P` clash (docs/ports-on-the-host.md).
public enum BindAddress: Sendable, Hashable, CustomStringConvertible {
    /// Every address of both families: a publish without a host IP, a host-network port, or a host socket on `::`
    /// that is not IPv6-only (Linux's default, `net.ipv6.bindv6only=0`).
    case all
    /// `0.0.0.0`: every IPv4 address.
    case anyIPv4
    /// `::` bound IPv6-only: every IPv6 address (an explicit `[::]:P` publish, or a socket with IPV6_V6ONLY).
    case anyIPv6
    case ipv4(String)
    case ipv6(String)

    /// The address of a publish's `host_ip` (nil or empty: all addresses).
    public init(_ text: String?) {
        guard let text, !text.isEmpty else { self = .all; return }
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

    /// The address a host socket holds: a socket on `::` holds IPv4 as well unless it is known to be IPv6-only.
    public init(socket: HostSocket) {
        if socket.address == "::" { self = socket.v6only == true ? .anyIPv6 : .all; return }
        self.init(socket.address)
    }

    public var description: String {
        switch self {
        case .all: "*"
        case .anyIPv4: "0.0.0.0"
        case .anyIPv6: "[::]"
        case .ipv4(let address): address
        case .ipv6(let normalised):
            if normalised == "0:1" { "[::1]" } else { "[\(normalised)]" }
        }
    }

    /// The address in words, for messages.
    public var spoken: String {
        switch self {
        case .all: "all addresses"
        case .anyIPv4: "all IPv4 addresses"
        case .anyIPv6: "all IPv6 addresses"
        default: description
        }
    }

    public func overlaps(_ other: BindAddress) -> Bool {
        switch (self, other) {
        case (.all, _), (_, .all): return true
        case (.anyIPv4, .anyIPv4), (.anyIPv4, .ipv4), (.ipv4, .anyIPv4): return true
        case (.anyIPv6, .anyIPv6), (.anyIPv6, .ipv6), (.ipv6, .anyIPv6): return true
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
