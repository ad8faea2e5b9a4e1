import BerthSpec
import Foundation

/// `logs --since/--until`: an RFC 3339 time, a Unix timestamp, or a duration back from now (`42m`, `1h30m`), turned
/// into the Unix timestamp the engine takes, as the docker CLI does (timetypes.GetTimestamp).
enum LogTime {
    static func timestamp(_ text: String, now: Date = Date()) -> String? {
        if let seconds = Double(text), !text.isEmpty { return text.contains(".") ? text : String(Int(seconds)) }
        if let duration = DurationParser.parse(text) {
            let (seconds, attoseconds) = duration.components
            return String(format: "%.9f", now.timeIntervalSince1970 - Double(seconds) - Double(attoseconds) / 1e18)
        }
        for format in ["yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXXXX", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return String(format: "%.9f", date.timeIntervalSince1970) }
        }
        return nil
    }
}
