import BerthDiagnostics

/// What every machine format renders: the diagnostics of one command, whatever stage produced them, with what is
/// needed to place them (the project directory, the files, the source lines).
public struct DiagnosticReport: Sendable {
    public var tool: String
    public var toolVersion: String
    /// Nil when the files could not be loaded far enough to name the project.
    public var project: String?
    /// The absolute project directory, which JSON paths are relative to.
    public var projectDirectory: String
    /// The project's files (absolute), in load order; the first places a finding that has no location.
    public var files: [String]
    public var diagnostics: [Diagnostic]
    public var sources: SourceCache

    public init(tool: String = "berth", toolVersion: String, project: String?, projectDirectory: String, files: [String],
                diagnostics: [Diagnostic], sources: SourceCache) {
        self.tool = tool
        self.toolVersion = toolVersion
        self.project = project
        self.projectDirectory = projectDirectory
        self.files = files
        self.diagnostics = diagnostics
        self.sources = sources
    }

    public var errors: Int { diagnostics.count(of: .error) }
    public var warnings: Int { diagnostics.count(of: .warning) }
    public var notes: Int { diagnostics.count(of: .note) }

    /// Where a finding without a location is shown by the formats that need one (code scanning does): the top of the
    /// first file, when there is one that exists.
    var fallbackLocation: SourceLocation? {
        files.first.flatMap { sources.line(1, in: $0) != nil ? SourceLocation(file: $0, line: 1, column: 1) : nil }
    }
}
