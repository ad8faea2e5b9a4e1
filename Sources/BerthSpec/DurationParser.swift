/// Parses Go-style durations as Compose writes them: `1m30s`, `10s`, `500ms`, `1.5h`, `2us`; a bare number is seconds.
public enum DurationParser {
    public static func parse(_ text: String) -> Duration? {
        let text = text.trimmingSpaces
        // A bare number is seconds; `inf`, `nan` and values past Int64 nanoseconds (about 292 years) are refused.
        if let seconds = Double(text) {
            guard seconds.isFinite, seconds >= 0, seconds * 1e9 < 9e18 else { return nil }
            return .nanoseconds(Int64(seconds * 1e9))
        }
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return nil }
        var index = 0
        var total: Double = 0
        while index < scalars.count {
            var number = ""
            while index < scalars.count, ("0"..."9").contains(scalars[index]) || scalars[index] == "." {
                number.unicodeScalars.append(scalars[index])
                index += 1
            }
            var unit = ""
            while index < scalars.count, !("0"..."9").contains(scalars[index]), scalars[index] != "." {
                unit.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard let value = Double(number) else { return nil }
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            default: return nil
            }
            total += value * scale
        }
        guard total < 9e18 else { return nil }
        return .nanoseconds(Int64(total))
    }

    /// Formats like Go's `time.Duration.String()` (`1m30s`, `500ms`, `0s`).
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanos == 0 { return "0s" }
        if nanos < 1_000_000_000 {
            if nanos % 1_000_000 == 0 { return "\(nanos / 1_000_000)ms" }
            if nanos % 1_000 == 0 { return "\(nanos / 1_000)µs" }
            return "\(nanos)ns"
        }
        var out = ""
        var rest = nanos
        let hours = rest / 3_600_000_000_000
        rest %= 3_600_000_000_000
        let minutes = rest / 60_000_000_000
        rest %= 60_000_000_000
        if hours > 0 { out += "\(hours)h" }
        if hours > 0 || minutes > 0 { out += "\(minutes)m" }
        let wholeSeconds = rest / 1_000_000_000
        let fraction = rest % 1_000_000_000
        if fraction == 0 {
            out += "\(wholeSeconds)s"
        } else {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            out += "\(wholeSeconds).\(digits)s"
        }
        return out
    }
}
