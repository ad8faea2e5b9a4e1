/// Writes node trees as JSON, keeping key order; scalars are typed by the core schema (quoted scalars stay strings).
public enum JSONWriter {
    public static func write(_ root: YAMLNode, pretty: Bool = true) -> String {
        var out = ""
        write(root, into: &out, indent: pretty ? 0 : nil)
        if pretty { out += "\n" }
        return out
    }

    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func write(_ node: YAMLNode, into out: inout String, indent: Int?) {
        let newline = indent == nil ? "" : "\n"
        let pad = { (level: Int) in indent == nil ? "" : String(repeating: "  ", count: level) }
        let level = indent ?? 0
        let next: Int? = indent.map { $0 + 1 }
        switch node.content {
        case .scalar(let text, _):
            switch node.resolvedScalar {
            case .null: out += "null"
            case .bool(let value): out += value ? "true" : "false"
            case .int(let value): out += String(value)
            case .float(let value): out += value.isFinite ? String(value) : quote(text)
            case .string, .none: out += quote(text)
            }
        case .sequence(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (index, item) in items.enumerated() {
                out += pad(level + 1)
                write(item, into: &out, indent: next)
                out += (index + 1 < items.count ? "," : "") + newline
            }
            out += pad(level) + "]"
        case .mapping(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (index, pair) in pairs.enumerated() {
                out += pad(level + 1) + quote(pair.key.scalarText ?? "") + (indent == nil ? ":" : ": ")
                write(pair.value, into: &out, indent: next)
                out += (index + 1 < pairs.count ? "," : "") + newline
            }
            out += pad(level) + "}"
        }
    }
}
