import BerthDiagnostics
import BerthYAML

/// `--format json`: the shape `schemas/check.schema.json` describes. Paths are relative to the project directory,
/// which is given once, absolute; absent locations are `null`.
public enum JSONReport {
    public static let version = 1

    public static func render(_ report: DiagnosticReport) -> String {
        let summary: YAMLNode = .map([("errors", .int(report.errors)), ("warnings", .int(report.warnings)), ("notes", .int(report.notes))])
        return JSONWriter.write(.map([
            ("version", .int(version)),
            ("tool", .map([("name", .string(report.tool)), ("version", .string(report.toolVersion))])),
            ("project", report.project.map(YAMLNode.string) ?? .null),
            ("projectDirectory", .string(report.projectDirectory)),
            ("diagnostics", items(report.diagnostics, relativeTo: report.projectDirectory)),
            ("summary", summary),
        ]))
    }

    /// The diagnostics list, as `check` and `plan` print it.
    public static func items(_ diagnostics: [Diagnostic], relativeTo directory: String) -> YAMLNode {
        func location(_ l: SourceLocation?) -> YAMLNode {
            guard let l else { return .null }
            return .map([("file", .string(ReportPaths.relative(l.file, to: directory))), ("line", .int(l.line)), ("column", .int(l.column))])
        }
        return .list(diagnostics.map { d in
            .map([
                ("severity", .string(d.severity.rawValue)), ("code", .string(d.code)), ("message", .string(d.message)),
                ("service", d.service.map(YAMLNode.string) ?? .null), ("location", location(d.location)),
                ("related", .list(d.related.map { r in
                    .map([("message", .string(r.message)), ("service", r.service.map(YAMLNode.string) ?? .null), ("location", location(r.location))])
                })),
            ])
        })
    }
}
