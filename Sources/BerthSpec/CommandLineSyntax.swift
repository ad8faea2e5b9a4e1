import BerthDiagnostics
import BerthYAML

/// Values a command line gives in the Compose file's own syntax (`run -v`, `run -p`): read by the same parsers as
/// the files, so a flag and a file entry mean the same; a problem is a diagnostic at the flag.
public enum CommandLineSyntax {
    /// A value the parser refused.
    public struct Invalid: Error {
        public let diagnostic: Diagnostic

        public init(diagnostic: Diagnostic) {
            self.diagnostic = diagnostic
        }
    }

    /// Where a flag's value is reported: `<command line>:1:1` with the flag named in the message.
    public static func location(_ flag: String) -> SourceLocation {
        SourceLocation(file: "<command line \(flag)>", line: 1, column: 1)
    }

    /// A short-syntax volume (`SOURCE:TARGET[:MODE]`), a relative source taken from `workingDirectory`.
    public static func volume(_ text: String, flag: String, project: ComposeProject) throws(Invalid) -> VolumeMount {
        var decoder = ComposeDecoder(projectName: project.name, workingDirectory: project.workingDirectory, lookup: { _ in nil })
        let node = YAMLNode(.scalar(text, .plain), location: location(flag))
        if let mount = decoder.volume(node, service: ""), !decoder.diagnostics.hasErrors { return mount }
        throw Invalid(diagnostic: decoder.diagnostics.first { $0.severity == .error }
            ?? .error("invalid-volume", "invalid volume '\(text)'", at: location(flag)))
    }

    /// A short-syntax port (`[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]`).
    public static func ports(_ text: String, flag: String) throws(Invalid) -> [PortMapping] {
        switch PortSyntax.parse(text, at: location(flag)) {
        case .success(let ports): return ports
        case .failure(let failure): throw Invalid(diagnostic: .error("invalid-port", "\(flag): \(failure.message)", at: location(flag)))
        }
    }
}
