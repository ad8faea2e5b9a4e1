import BerthDiagnostics

/// What a diagnostic code means and how to fix it: the rule behind every `Diagnostic.code`, for SARIF's rule table,
/// the README and `--help-base-uri` links.
public struct DiagnosticRule: Sendable, Hashable {
    /// The diagnostic code, such as `port-conflict`.
    public var id: String
    /// The stage that reports it: `yaml`, `load`, `check`, `plan` or `run`.
    public var stage: String
    public var level: Severity
    /// One sentence: what is wrong.
    public var summary: String
    /// Why it matters: what the engine or the kernel would do.
    public var detail: String
    /// How to fix it.
    public var fix: String

    /// The rule's SARIF `name`: the code in UpperCamelCase (`PortConflict`).
    public var name: String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The rule for a code; an unknown code (a bug) still gets a rule that says so, never a crash.
    public static func named(_ code: String) -> DiagnosticRule {
        byID[code] ?? DiagnosticRule(id: code, stage: "berth", level: .error, summary: "A Berth diagnostic without a description.",
                                     detail: "This code has no entry in Berth's rule table.", fix: "Read the message.")
    }

    private static let byID: [String: DiagnosticRule] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
}
