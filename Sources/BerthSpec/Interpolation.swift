/// Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
/// `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`, nested templates in the default, and `$$` for a literal `$`.
public struct Interpolator: Sendable {
    public struct Failure: Error, Sendable, Hashable {
        public var message: String
        /// Offset (in Unicode scalars) of the `$` that failed, inside the template.
        public var offset: Int
        public var code: String
    }

    public var lookup: @Sendable (String) -> String?

    public init(lookup: @escaping @Sendable (String) -> String?) {
        self.lookup = lookup
    }

    public init(environment: [String: String]) {
        self.lookup = { environment[$0] }
    }

    public func interpolate(_ template: String) -> Result<String, Failure> {
        guard template.utf8.contains(UInt8(ascii: "$")) else { return .success(template) }
        let scalars = Array(template.unicodeScalars)
        var index = 0
        do {
            let text = try expand(scalars, &index, until: nil)
            return .success(text)
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(message: "invalid template", offset: 0, code: "interpolation"))
        }
    }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    private static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        isNameStart(c) || ("0"..."9").contains(c)
    }

    /// Expands from `index` to the end, or to the `}` that closes the enclosing `${` when `until` is set.
    private func expand(_ s: [Unicode.Scalar], _ index: inout Int, until closing: Unicode.Scalar?) throws -> String {
        var out = String.UnicodeScalarView()
        var depth = 0
        while index < s.count {
            let c = s[index]
            if let closing, c == closing, depth == 0 { return String(out) }
            if c == "{" { depth += 1 } else if c == "}" { depth -= 1 }
            guard c == "$" else {
                out.append(c)
                index += 1
                continue
            }
            let start = index
            guard index + 1 < s.count else {
                out.append(c)
                index += 1
                continue
            }
            let next = s[index + 1]
            if next == "$" {
                out.append("$")
                index += 2
            } else if Self.isNameStart(next) {
                var end = index + 1
                while end < s.count, Self.isNameChar(s[end]) { end += 1 }
                let name = String(String.UnicodeScalarView(s[(index + 1)..<end]))
                out.append(contentsOf: (lookup(name) ?? "").unicodeScalars)
                index = end
            } else if next == "{" {
                index += 2
                out.append(contentsOf: try braced(s, &index, start: start).unicodeScalars)
            } else {
                out.append(c)
                index += 1
            }
        }
        if closing != nil {
            throw Failure(message: "invalid template: '${' is not closed", offset: 0, code: "interpolation")
        }
        return String(out)
    }

    private func braced(_ s: [Unicode.Scalar], _ index: inout Int, start: Int) throws -> String {
        let invalid = { (what: String) in
            Failure(message: "invalid template: \(what)", offset: start, code: "interpolation")
        }
        var end = index
        while end < s.count, Self.isNameChar(s[end]) { end += 1 }
        let name = String(String.UnicodeScalarView(s[index..<end]))
        guard !name.isEmpty, let first = name.unicodeScalars.first, Self.isNameStart(first) else {
            throw invalid("'${' needs a variable name")
        }
        index = end
        guard index < s.count else { throw invalid("'${\(name)' is not closed") }
        if s[index] == "}" {
            index += 1
            return lookup(name) ?? ""
        }
        var op = String(s[index])
        if s[index] == ":" {
            guard index + 1 < s.count else { throw invalid("'${\(name):' is not closed") }
            op.unicodeScalars.append(s[index + 1])
        }
        guard ["-", "?", "+", ":-", ":?", ":+"].contains(op) else {
            throw invalid("unexpected '\(s[index])' after '${\(name)'")
        }
        index += op.unicodeScalars.count
        let argument = try expand(s, &index, until: "}")
        guard index < s.count, s[index] == "}" else { throw invalid("'${\(name)' is not closed") }
        index += 1
        let value = lookup(name)
        let empty = value?.isEmpty ?? true
        switch op {
        case ":-": return empty ? argument : value ?? ""
        case "-": return value ?? argument
        case ":+": return empty ? "" : argument
        case "+": return value == nil ? "" : argument
        case ":?", "?":
            let missing = op == ":?" ? empty : value == nil
            if missing {
                throw Failure(
                    message: "required variable \(name) is missing a value" + (argument.isEmpty ? "" : ": \(argument)"),
                    offset: start, code: "missing-variable")
            }
            return value ?? ""
        default: return value ?? ""
        }
    }
}
