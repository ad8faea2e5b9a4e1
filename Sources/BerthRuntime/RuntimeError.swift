import BerthDiagnostics

/// A failure of a command that changes the stack, pointing back at the YAML where it can.
public struct RuntimeError: Error, Sendable {
    public var diagnostics: [Diagnostic]
    /// True when the plan had errors and nothing was done.
    public var refused: Bool

    public init(_ diagnostics: [Diagnostic], refused: Bool = false) {
        self.diagnostics = diagnostics
        self.refused = refused
    }

    public init(_ code: String, _ message: String, at location: SourceLocation?, service: String? = nil) {
        self.diagnostics = [.error(code, message, at: location, service: service)]
        self.refused = false
    }
}
