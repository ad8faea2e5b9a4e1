/// Sizes as Compose reads them (compose-go `bytes.go`, docker/go-units `RAMInBytes`): a number of bytes, or a number
/// with a binary unit `b`, `k`, `m`, `g`, `t`, `p` (case-insensitive, optionally followed by `b` or `ib`): `64m` is
/// 67,108,864 bytes.
public enum ByteSize {
    public static func parse(_ text: String) -> Int64? {
        let lowered = text.trimmingSpaces.lowercased()
        var number = ""
        var rest = Substring(lowered)
        while let c = rest.first, c.isASCII, c.isNumber || c == "." {
            number.append(c)
            rest = rest.dropFirst()
        }
        rest = rest.drop { $0 == " " }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        var unit = rest
        if unit.hasSuffix("ib") { unit = unit.dropLast(2) } else if unit.hasSuffix("b") && unit.count == 2 { unit = unit.dropLast() }
        let multipliers: [Substring: Double] = ["": 1, "b": 1, "k": 0x1p10, "m": 0x1p20, "g": 0x1p30, "t": 0x1p40, "p": 0x1p50]
        guard let multiplier = multipliers[unit] else { return nil }
        let bytes = value * multiplier
        guard bytes < 9.2e18 else { return nil }
        return Int64(bytes)
    }
}
