/// An IPv4 or IPv6 subnet in CIDR notation, as a closed interval of addresses.
public struct Subnet: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case ipv4, ipv6 }
    public var family: Family
    /// The first and last address, as 128-bit numbers split in (high, low) halves.
    public var first: (UInt64, UInt64) { (firstHigh, firstLow) }
    public var last: (UInt64, UInt64) { (lastHigh, lastLow) }
    private var firstHigh: UInt64, firstLow: UInt64, lastHigh: UInt64, lastLow: UInt64
    public var text: String
    public var prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let prefix = Int(parts[1]) else { return nil }
        let address = String(parts[0])
        self.text = text
        self.prefixLength = prefix
        if let v4 = IPAddress.ipv4Value(address) {
            guard (0...32).contains(prefix) else { return nil }
            family = .ipv4
            let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
            firstHigh = 0
            lastHigh = 0
            firstLow = UInt64(v4 & mask)
            lastLow = UInt64(v4 | ~mask)
        } else if let (high, low) = Subnet.ipv6Value(address) {
            guard (0...128).contains(prefix) else { return nil }
            family = .ipv6
            let highMask: UInt64 = prefix >= 64 ? ~0 : (prefix == 0 ? 0 : ~UInt64(0) << (64 - prefix))
            let lowMask: UInt64 = prefix <= 64 ? 0 : (prefix == 128 ? ~0 : ~UInt64(0) << (128 - prefix))
            firstHigh = high & highMask
            firstLow = low & lowMask
            lastHigh = high | ~highMask
            lastLow = low | ~lowMask
        } else {
            return nil
        }
    }

    public var description: String { text }

    public func overlaps(_ other: Subnet) -> Bool {
        guard family == other.family else { return false }
        return !(Self.less(last, other.first) || Self.less(other.last, first))
    }

    public func contains(address: String) -> Bool {
        if family == .ipv4, let v4 = IPAddress.ipv4Value(address) {
            return UInt64(v4) >= firstLow && UInt64(v4) <= lastLow
        }
        if family == .ipv6, let v6 = Subnet.ipv6Value(address) {
            return !Self.less(v6, first) && !Self.less(last, v6)
        }
        return false
    }

    static func less(_ a: (UInt64, UInt64), _ b: (UInt64, UInt64)) -> Bool { a.0 < b.0 || (a.0 == b.0 && a.1 < b.1) }

    public static func ipv6Value(_ text: String) -> (UInt64, UInt64)? {
        guard IPAddress.isIPv6(text) else { return nil }
        let halves = text.components(separatedBy: "::")
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                if group.contains("."), let v4 = IPAddress.ipv4Value(String(group)) {
                    result.append(UInt16(v4 >> 16))
                    result.append(UInt16(v4 & 0xFFFF))
                } else {
                    guard let value = UInt16(group, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        var all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0]), let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(text), only.count == 8 else { return nil }
            all = only
        }
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<4 { high = high << 16 | UInt64(all[i]) }
        for i in 4..<8 { low = low << 16 | UInt64(all[i]) }
        return (high, low)
    }

    public static func == (a: Subnet, b: Subnet) -> Bool { a.text == b.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
