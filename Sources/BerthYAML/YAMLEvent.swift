import BerthDiagnostics

/// One event of libyaml's event parser, in Swift terms.
public struct YAMLEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case streamStart, streamEnd
        case documentStart(explicit: Bool)
        case documentEnd(explicit: Bool)
        case scalar(String, ScalarStyle)
        case alias(String)
        case sequenceStart(flow: Bool)
        case sequenceEnd
        case mappingStart(flow: Bool)
        case mappingEnd
    }

    public var kind: Kind
    public var anchor: String?
    public var tag: String?
    public var line: Int
    public var column: Int

    /// The event in the notation of the yaml-test-suite's `test.event` files.
    public var testSuiteNotation: String {
        var properties = ""
        if let anchor { properties += " &\(anchor)" }
        if let tag { properties += " <\(tag)>" }
        switch kind {
        case .streamStart: return "+STR"
        case .streamEnd: return "-STR"
        case .documentStart(let explicit): return explicit ? "+DOC ---" : "+DOC"
        case .documentEnd(let explicit): return explicit ? "-DOC ..." : "-DOC"
        case .sequenceStart(let flow): return "+SEQ" + (flow ? " []" : "") + properties
        case .sequenceEnd: return "-SEQ"
        case .mappingStart(let flow): return "+MAP" + (flow ? " {}" : "") + properties
        case .mappingEnd: return "-MAP"
        case .alias(let name): return "=ALI *\(name)"
        case .scalar(let text, let style):
            let indicator = switch style {
            case .plain: ":"
            case .singleQuoted: "'"
            case .doubleQuoted: "\""
            case .literal: "|"
            case .folded: ">"
            }
            return "=VAL\(properties) \(indicator)\(Self.escape(text))"
        }
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{08}": out += "\\b"
            case "\0": out += "\\0"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// A syntax error reported by libyaml, with where it happened.
public struct YAMLSyntaxError: Error, Sendable, Hashable {
    public var message: String
    public var line: Int
    public var column: Int
}
