import BerthDiagnostics

/// The Markdown table appended to `GITHUB_STEP_SUMMARY`: every finding, where annotations show only 10 of each kind.
public struct GitHubStepSummary {
    /// The runner refuses a summary over 1 MiB; rows stop short of it.
    public static let byteLimit = 1_000_000

    public var workspace: String
    /// `check`, `plan` or `up`: the heading names the command.
    public var command: String

    public init(workspace: String, command: String) {
        self.workspace = workspace
        self.command = command
    }

    public func render(_ report: DiagnosticReport) -> String {
        let name = report.project ?? "the project"
        let counts = "\(report.errors) error\(report.errors == 1 ? "" : "s"), \(report.warnings) warning\(report.warnings == 1 ? "" : "s"), \(report.notes) note\(report.notes == 1 ? "" : "s")"
        var out = "### berth \(command): \(Self.cell(name)): \(counts)\n\n"
        guard !report.diagnostics.isEmpty else { return out + "No findings.\n\n" }
        out += "| Severity | Code | Location | Service | Message |\n|---|---|---|---|---|\n"
        for (index, d) in report.diagnostics.enumerated() {
            let place = d.location.map { ReportPaths.place($0, base: workspace) } ?? ""
            let related = d.related.map { r in "<br>note: \(Self.cell(r.message))\(r.location.map { " (\(Self.cell(ReportPaths.place($0, base: workspace))))" } ?? "")" }.joined()
            let row = "| \(d.severity.rawValue) | \(Self.cell(d.code)) | \(Self.cell(place)) | \(Self.cell(d.service ?? "")) | \(Self.cell(d.message))\(related) |\n"
            if out.utf8.count + row.utf8.count > Self.byteLimit - 200 {
                out += "\n\(report.diagnostics.count - index) more findings are left out: the runner keeps summaries under 1 MiB.\n"
                break
            }
            out += row
        }
        return out + "\n"
    }

    /// A table cell: HTML-escaped (GitHub Markdown renders HTML), `|` escaped, line breaks as `<br>`.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "<br>")
    }
}
