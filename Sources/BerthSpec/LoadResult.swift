import BerthDiagnostics

/// The result of loading a project: the model (when the files could be read at all) and every diagnostic.
public struct LoadResult: Sendable {
    public var project: ComposeProject?
    public var diagnostics: [Diagnostic]
    public var sources: SourceCache

    public var hasErrors: Bool { diagnostics.hasErrors }
}
