import BerthDiagnostics

/// The result of loading a project: the model (when the files could be read at all) and every diagnostic.
public struct LoadResult: Sendable {
    public var project: ComposeProject?
    public var diagnostics: [Diagnostic]
    public var sources: SourceCache
    /// The files read, absolute, in load order (empty when none was found).
    public var files: [String] = []
    /// The absolute project directory (`--project-directory`, the first file's directory, or the current one).
    public var projectDirectory: String = ""

    public var hasErrors: Bool { diagnostics.hasErrors }
}
