/// A scalar's meaning under the YAML 1.2 core schema, which is how Compose reads YAML: `yes`, `no`, `on` and `off` are
/// strings, `80:80` is a string (no sexagesimal numbers), and only `true`/`false` are booleans.
public enum ScalarValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
}

extension YAMLNode {
    /// The scalar's value, resolved by the core schema for plain scalars and by its tag when it has one.
    public var resolvedScalar: ScalarValue? {
        guard case .scalar(let text, let style) = content else { return nil }
        switch tag {
        case "tag:yaml.org,2002:str": return .string(text)
        case "tag:yaml.org,2002:int": return Self.parseInt(text).map(ScalarValue.int) ?? .string(text)
        case "tag:yaml.org,2002:float": return Double(text).map(ScalarValue.float) ?? .string(text)
        case "tag:yaml.org,2002:bool": return Self.parseBool(text).map(ScalarValue.bool) ?? .string(text)
        case "tag:yaml.org,2002:null": return .null
        default: break
        }
        guard style == .plain else { return .string(text) }
        return Self.resolvePlain(text)
    }

    static func resolvePlain(_ text: String) -> ScalarValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        default: break
        }
        if let bool = parseBool(text) { return .bool(bool) }
        if let int = parseInt(text) { return .int(int) }
        if let float = parseFloat(text) { return .float(float) }
        return .string(text)
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// Core-schema integers: decimal with an optional sign, `0o` octal, `0x` hexadecimal.
    static func parseInt(_ text: String) -> Int? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        var radix = 10
        if body.hasPrefix("0o") {
            radix = 8
            body = body.dropFirst(2)
        } else if body.hasPrefix("0x") {
            radix = 16
            body = body.dropFirst(2)
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isHexDigit }), let magnitude = Int(body, radix: radix) else { return nil }
        return negative ? -magnitude : magnitude
    }

    static func parseFloat(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        let scalars = Array(text.unicodeScalars)
        var i = 0
        if i < scalars.count, scalars[i] == "-" || scalars[i] == "+" { i += 1 }
        var digits = 0
        while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1; digits += 1 }
        if i < scalars.count, scalars[i] == "." {
            i += 1
            while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < scalars.count, scalars[i] == "e" || scalars[i] == "E" {
            i += 1
            if i < scalars.count, scalars[i] == "-" || scalars[i] == "+" { i += 1 }
            var exponentDigits = 0
            while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return nil }
        }
        guard i == scalars.count else { return nil }
        return Double(text)
    }
}
