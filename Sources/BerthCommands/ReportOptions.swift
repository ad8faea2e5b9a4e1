import ArgumentParser
import BerthDiagnostics
import BerthReports
import BerthSpec
import Foundation

/// The machine formats every diagnostic can be rendered in, whatever stage produced it.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case text, json, sarif, github, junit }

/// Options of the machine formats, shared by `check`, `plan` and `up`.
struct ReportOptions: ParsableArguments {
    @Option(name: .customLong("sarif-root"), help: "Directory SARIF URIs are relative to (default: the git top level of the project directory).")
    var sarifRoot: String?
    @Option(name: .customLong("sarif-category"), help: "SARIF automationDetails.id (default: berth/<project>/).")
    var sarifCategory: String?
    @Option(name: .customLong("sarif-output"), help: "Also write the diagnostics as SARIF to this file.")
    var sarifOutput: String?
    @Option(name: .customLong("help-base-uri"),
            help: "Address of the rule documentation; SARIF helpUri is this plus the code (default: $BERTH_HELP_BASE_URI; none when unset).")
    var helpBaseURI: String?

    init() {}

    static let environment = ProcessInfo.processInfo.environment

    func sarif(for report: DiagnosticReport) -> SARIFReport {
        let cwd = FileManager.default.currentDirectoryPath
        let root = sarifRoot.map { $0.hasPrefix("/") ? $0 : cwd + "/" + $0 }
            ?? ReportPaths.gitTopLevel(from: report.projectDirectory) ?? report.projectDirectory
        let base = helpBaseURI ?? Self.environment["BERTH_HELP_BASE_URI"]
        return SARIFReport(root: root, helpBaseURI: base.flatMap { $0.isEmpty ? nil : $0 },
                           category: sarifCategory ?? "berth/\(report.project ?? "project")/")
    }

    /// Renders `report` in a machine format (`text` is rendered by the command itself).
    func render(_ format: ReportFormat, _ report: DiagnosticReport, command: String, services: [String], strict: Bool) -> String {
        let workspace = Self.environment["GITHUB_WORKSPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.currentDirectoryPath
        switch format {
        case .text, .json: return JSONReport.render(report)
        case .sarif: return sarif(for: report).render(report)
        case .github:
            if let path = Self.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
                Self.append(GitHubStepSummary(workspace: workspace, command: command).render(report), to: path)
            }
            return GitHubAnnotations(workspace: workspace).render(report)
        case .junit:
            return JUnitReport(services: services, strict: strict, root: sarif(for: report).root).render(report)
        }
    }

    /// Writes the `--sarif-output` file, when asked for.
    func writeSARIF(_ report: DiagnosticReport) throws {
        guard let path = sarifOutput else { return }
        do {
            try Data(sarif(for: report).render(report).utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            Console.error("berth: cannot write the SARIF file '\(path)': \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
    }

    static func append(_ text: String, to path: String) {
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else {
            Console.error("berth: cannot write the step summary '\(path)'\n")
            return
        }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try? handle.close()
    }
}

extension DiagnosticReport {
    /// The report of one command over a loaded (or failed) project.
    init(_ loaded: LoadResult, project: String?, diagnostics: [Diagnostic]) {
        self.init(toolVersion: BerthCommand.version, project: project, projectDirectory: loaded.projectDirectory, files: loaded.files,
                  diagnostics: diagnostics, sources: loaded.sources)
    }
}
