import BerthDiagnostics

/// `--format github`: workflow commands (`::error file=...,line=...,col=...,title=...::message`) escaped exactly as
/// the Actions runner un-escapes them, with paths relative to `GITHUB_WORKSPACE`.
///
/// The runner shows 10 annotations of each kind per step; the first 10 of each kind are annotated and the rest are
/// printed as plain log lines (the step summary holds them all).
public struct GitHubAnnotations {
    public static let annotatedPerKind = 10

    /// The directory paths are relative to: `GITHUB_WORKSPACE` when set, the current directory otherwise.
    public var workspace: String

    public init(workspace: String) {
        self.workspace = workspace
    }

    public func render(_ report: DiagnosticReport) -> String {
        var counts: [Severity: Int] = [:]
        var out = "", unannotated = 0
        for d in report.diagnostics {
            counts[d.severity, default: 0] += 1
            if counts[d.severity]! <= Self.annotatedPerKind {
                out += command(d)
            } else {
                unannotated += 1
                out += "\(d.location.map { ReportPaths.place($0, base: workspace) + ": " } ?? "berth: ")\(d.severity.rawValue): \(d.message)\(relatedText(d)) [\(d.code)]\n"
            }
        }
        if unannotated > 0 {
            out += "berth: \(unannotated) more finding\(unannotated == 1 ? "" : "s") printed above without an annotation: GitHub shows \(Self.annotatedPerKind) of each kind per step\n"
        }
        return out
    }

    func command(_ d: Diagnostic) -> String {
        let kind = switch d.severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
        var properties: [String] = []
        if let l = d.location {
            properties += ["file=\(Self.property(path(l.file)))", "line=\(l.line)", "col=\(l.column)"]
        }
        properties.append("title=\(Self.property("berth \(d.code)"))")
        return "::\(kind) \(properties.joined(separator: ","))::\(Self.data(d.message + relatedText(d)))\n"
    }

    func relatedText(_ d: Diagnostic) -> String {
        d.related.map { r in " (\(r.message)\(r.location.map { " at \(ReportPaths.place($0, base: workspace))" } ?? ""))" }.joined()
    }

    /// Relative to the workspace when inside it (the runner reads `file` so), absolute otherwise.
    func path(_ file: String) -> String {
        ReportPaths.inside(file, base: workspace) ?? file
    }

    /// Command data, as the runner un-escapes it: `%25` last, so `%` is escaped first.
    static func data(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// A property value additionally escapes `:` and `,`, which delimit properties and the command.
    static func property(_ s: String) -> String {
        data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
