/// Reads `.env` files the way Compose does: `KEY=VALUE` lines, `export` prefixes, `#` comments, single quotes taken
/// literally, double quotes with escapes, and `${VAR}` expanded in unquoted and double-quoted values.
public enum EnvFile {
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: String?
        public var line: Int
    }

    public struct ParseError: Error, Sendable, Hashable {
        public var message: String
        public var line: Int
        /// `env-file-syntax`, or the interpolation's own code (`missing-variable`, `interpolation`).
        public var code = "env-file-syntax"
    }

    /// `format: raw`: `KEY=VALUE` lines taken as written (quotes and `$` included); blank lines and `#` comments are
    /// skipped, and a line without `=` names a variable taken from the environment.
    public static func parseRaw(_ text: String) -> ([Entry], [ParseError]) {
        var entries: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.trimmingSpaces.isEmpty || trimmed.trimmingSpaces.hasPrefix("#") { continue }
            if let equals = trimmed.firstIndex(of: "=") {
                entries.append(Entry(key: trimmed[..<equals].trimmingSpaces, value: String(trimmed[trimmed.index(after: equals)...]), line: index + 1))
            } else {
                entries.append(Entry(key: trimmed.trimmingSpaces, value: nil, line: index + 1))
            }
        }
        return (entries, [])
    }

    public static func parse(_ text: String, lookup: @escaping @Sendable (String) -> String?) -> ([Entry], [ParseError]) {
        var entries: [Entry] = []
        var errors: [ParseError] = []
        var defined: [String: String] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var lineIndex = 0
        while lineIndex < lines.count {
            let lineNumber = lineIndex + 1
            var line = Substring(lines[lineIndex])
            lineIndex += 1
            if line.hasSuffix("\r") { line = line.dropLast() }
            var trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("export ") { trimmed = trimmed.dropFirst(7).drop { $0 == " " } }
            guard let equals = trimmed.firstIndex(of: "=") else {
                let key = trimmed.trimmingSpaces
                if key.isEmpty || key.contains(" ") {
                    errors.append(ParseError(message: "unexpected text '\(trimmed)'", line: lineNumber))
                } else {
                    entries.append(Entry(key: key, value: nil, line: lineNumber))
                }
                continue
            }
            let key = trimmed[..<equals].trimmingSpaces
            guard !key.isEmpty, !key.contains(" ") else {
                errors.append(ParseError(message: "invalid variable name '\(key)'", line: lineNumber))
                continue
            }
            var raw = trimmed[trimmed.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            var value: String
            if let quote = raw.first, quote == "'" || quote == "\"" {
                raw = raw.dropFirst()
                // A quoted value may span lines.
                var body = String(raw)
                while !Self.hasClosingQuote(body, quote) && lineIndex < lines.count {
                    body += "\n" + lines[lineIndex]
                    lineIndex += 1
                }
                guard let close = Self.closingQuoteIndex(body, quote) else {
                    errors.append(ParseError(message: "unterminated quoted value for '\(key)'", line: lineNumber))
                    continue
                }
                let inner = String(body[..<close])
                if quote == "'" {
                    value = inner
                } else {
                    value = Self.unescape(inner)
                    value = Self.expand(value, defined: defined, lookup: lookup, line: lineNumber, errors: &errors)
                }
            } else {
                var text = String(raw)
                if let comment = text.range(of: " #") { text = String(text[..<comment.lowerBound]) }
                value = Self.expand(text.trimmingSpaces, defined: defined, lookup: lookup, line: lineNumber, errors: &errors)
            }
            defined[key] = value
            entries.append(Entry(key: key, value: value, line: lineNumber))
        }
        return (entries, errors)
    }

    private static func hasClosingQuote(_ body: String, _ quote: Character) -> Bool {
        closingQuoteIndex(body, quote) != nil
    }

    private static func closingQuoteIndex(_ body: String, _ quote: Character) -> String.Index? {
        var escaped = false
        var index = body.startIndex
        while index < body.endIndex {
            let c = body[index]
            if escaped {
                escaped = false
            } else if c == "\\" && quote == "\"" {
                escaped = true
            } else if c == quote {
                return index
            }
            index = body.index(after: index)
        }
        return nil
    }

    private static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Expands `${...}` in a value; a failure (`${VAR:?message}` with VAR unset, a malformed template) is an error at
    /// the line, as in Compose, and the value stays as written.
    private static func expand(_ text: String, defined: [String: String], lookup: @escaping @Sendable (String) -> String?,
                               line: Int, errors: inout [ParseError]) -> String {
        let snapshot = defined
        let interpolator = Interpolator { snapshot[$0] ?? lookup($0) }
        switch interpolator.interpolate(text) {
        case .success(let value): return value
        case .failure(let failure):
            errors.append(ParseError(message: failure.message, line: line, code: failure.code))
            return text
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
