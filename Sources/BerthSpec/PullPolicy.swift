/// A service's `pull_policy`, as Compose reads it (compose-go `GetPullPolicy`): `always`, `never`, `missing` (also
/// `if_not_present`, and `refresh`, which Compose treats the same), `build`, or a refresh window: `daily`, `weekly`,
/// `every_<duration>` with units w, d, h, m and s (`every_12h`, `every_1w2d`).
public enum PullPolicy: Sendable, Hashable, CustomStringConvertible {
    case always, never, missing, build
    /// Pull when the image was last tagged (pulled) longer ago than this many seconds.
    case refresh(seconds: Int)

    public init?(_ text: String) {
        switch text {
        case "always": self = .always
        case "never": self = .never
        case "missing", "if_not_present", "refresh": self = .missing
        case "build": self = .build
        case "daily": self = .refresh(seconds: 86_400)
        case "weekly": self = .refresh(seconds: 7 * 86_400)
        default:
            guard text.hasPrefix("every_"), let seconds = Self.seconds(text.dropFirst(6)), seconds > 0 else { return nil }
            self = .refresh(seconds: seconds)
        }
    }

    /// `1w2d3h4m5s` in seconds; nil unless every part is digits and a unit.
    static func seconds(_ text: Substring) -> Int? {
        let units: [Character: Int] = ["w": 7 * 86_400, "d": 86_400, "h": 3600, "m": 60, "s": 1]
        var total = 0, digits = ""
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let value = Int(digits) {
                total += value * unit
                digits = ""
            } else {
                return nil
            }
        }
        return digits.isEmpty && !text.isEmpty ? total : nil
    }

    public var description: String {
        switch self {
        case .always: "always"
        case .never: "never"
        case .missing: "missing"
        case .build: "build"
        case .refresh(let seconds): "every \(seconds)s"
        }
    }
}
