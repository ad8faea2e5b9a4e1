import Foundation

/// A placement constraint (`node.labels.zone==a`, `node.role!=manager`) as swarm's scheduler reads and matches it:
/// split at the first `==` (else `!=`), values compared whole and ignoring case, a missing label read as "", and a
/// key swarm does not know accepted but matching no node.
public struct SwarmConstraint: Sendable, Hashable {
    public var key: String
    public var equal: Bool
    public var value: String

    /// The keys swarm matches; anything else matches no node.
    public static let knownKeys = ["node.id", "node.hostname", "node.ip", "node.role", "node.platform.os", "node.platform.arch"]

    /// Parses one expression; nil when swarm refuses it at create (no operator, an empty side, a bad key).
    public init?(_ text: String) {
        let (operatorText, equal): (String, Bool) = text.contains("==") ? ("==", true) : ("!=", false)
        guard let range = text.range(of: operatorText) else { return nil }
        key = String(text[..<range.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        value = String(text[range.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        self.equal = equal
        // swarm's patterns: a key of ASCII letters, digits, `-_.` (not starting with a digit, `-` or `.`); a value of
        // ASCII letters, digits, spaces and `:-_.*()?+[]\^$|/`.
        func ascii(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        guard let first = key.first, first.isASCII && first.isLetter || first == "_", key.count > 1, !value.isEmpty,
              key.allSatisfy({ ascii($0) || "-_.".contains($0) }),
              value.allSatisfy({ ascii($0) || " \t:-_.*()?+[]\\^$|/".contains($0) }) else { return nil }
    }

    /// Whether swarm's scheduler knows the key at all.
    public var isKnown: Bool {
        let lower = key.lowercased()
        return Self.knownKeys.contains(lower) || (lower.hasPrefix("node.labels.") && key.count > 12) || (lower.hasPrefix("engine.labels.") && key.count > 14)
    }

    public func matches(_ node: ClusterSnapshot.Node) -> Bool {
        let lower = key.lowercased()
        let actual: String?
        switch lower {
        case "node.id": actual = node.id
        case "node.hostname": actual = node.hostname
        // A malformed address or block matches under neither operator, as in swarm.
        case "node.ip": return Self.address(node.address, matches: value).map { $0 == equal } ?? false
        case "node.role": actual = node.role
        case "node.platform.os": actual = node.os
        case "node.platform.arch": actual = node.architecture
        default:
            if lower.hasPrefix("node.labels.") { actual = node.labels[String(key.dropFirst(12))] ?? "" }
            else if lower.hasPrefix("engine.labels.") { actual = node.engineLabels[String(key.dropFirst(14))] ?? "" }
            else { return false }
        }
        return (actual ?? "").lowercased() == value.lowercased() ? equal : !equal
    }

    /// `node.ip` takes an address or a CIDR block (IPv4; IPv6 compares as text); nil when the value is malformed.
    static func address(_ address: String, matches value: String) -> Bool? {
        guard let slash = value.firstIndex(of: "/") else {
            if value.contains(":") { return address.lowercased() == value.lowercased() }
            guard ipv4(value) != nil else { return nil }
            return address == value
        }
        guard let bits = Int(value[value.index(after: slash)...]), let network = ipv4(String(value[..<slash])), (0...32).contains(bits) else { return nil }
        guard let host = ipv4(address) else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - UInt32(bits))
        return network & mask == host & mask
    }

    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".")
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}
