import BerthDiagnostics
import BerthYAML

/// The result of loading a project: the model (when the files could be read at all) and every diagnostic.
public struct LoadResult: Sendable {
    public var project: ComposeProject?
    public var diagnostics: [Diagnostic]
    public var sources: SourceCache
    /// The files read, absolute, in load order (empty when none was found).
    public var files: [String] = []
    /// The absolute project directory (`--project-directory`, the first file's directory, or the current one).
    public var projectDirectory: String = ""
    /// The files merged into one document (includes and `extends` resolved), before typing: what
    /// `config --no-normalize` and `--no-interpolate` print.
    public var document: YAMLNode?

    public var hasErrors: Bool { diagnostics.hasErrors }
}
