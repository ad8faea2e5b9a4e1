import BerthDiagnostics

/// A failure of `up` or `down`, pointing back at the YAML where it can.
public struct RuntimeError: Error, Sendable {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public init(_ code: String, _ message: String, at location: SourceLocation?, service: String? = nil) {
        self.diagnostics = [.error(code, message, at: location, service: service)]
    }
}
