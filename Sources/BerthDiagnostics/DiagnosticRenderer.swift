/// Renders diagnostics the way `swiftc` does: `path:line:col: error: message`, the source line, a caret, then notes.
public struct DiagnosticRenderer: Sendable {
    public var sources: SourceCache
    public var useColor: Bool

    public init(sources: SourceCache, useColor: Bool = false) {
        self.sources = sources
        self.useColor = useColor
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        var out = ""
        let label = diagnostic.severity.rawValue
        out += header(diagnostic.location, label: label, message: "\(diagnostic.message) [\(diagnostic.code)]")
        out += excerpt(diagnostic.location)
        for related in diagnostic.related {
            out += header(related.location, label: "note", message: related.message)
            out += excerpt(related.location)
        }
        return out
    }

    private func header(_ location: SourceLocation?, label: String, message: String) -> String {
        let place = location.map { "\($0): " } ?? "berth: "
        return bold(place) + colored(label + ":", for: label) + " " + bold(message) + "\n"
    }

    private func excerpt(_ location: SourceLocation?) -> String {
        guard let location, let line = sources.line(location.line, in: location.file) else { return "" }
        let prefix = line.unicodeScalars.prefix(max(0, location.column - 1))
        let padding = String(String.UnicodeScalarView(prefix.map { $0 == "\t" ? "\t" : " " }))
        return line + "\n" + padding + colored("^", for: "note") + "\n"
    }

    private func bold(_ text: String) -> String { useColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    private func colored(_ text: String, for label: String) -> String {
        guard useColor else { return text }
        let code = switch label {
        case "error": "31"
        case "warning": "35"
        default: "32"
        }
        return "\u{1B}[1;\(code)m\(text)\u{1B}[0m"
    }
}
