import BerthDiagnostics
import Foundation

/// A secret or config as it lands in a container, as docker compose puts it there (`pkg/compose/create.go` and
/// `secrets.go`): a file source is a read-only bind mount; an `environment` or `content` source is written into the
/// container before it starts. Secrets go under `/run/secrets/`, configs under `/`, unless `target` is absolute.
public struct FileMount: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case secret, config }

    public var kind: Kind
    public var name: String
    /// The absolute path in the container.
    public var target: String
    /// The host file to bind, for a file source.
    public var file: String?
    /// The text to write, for an `environment` or `content` source.
    public var content: String?
    public var uid: Int
    public var gid: Int
    public var mode: Int
    /// The definition's content digest (see `FileObjectDefinition.contentDigest`).
    public var digest: String?

    /// The mounts of a service, in the order it names them (references to undefined or external objects are left
    /// out: `validate` reports them).
    public static func mounts(of service: Service, in project: ComposeProject) -> [FileMount] {
        func mounts(_ references: [FileReference], _ definitions: [FileObjectDefinition], _ kind: Kind) -> [FileMount] {
            references.compactMap { reference in
                guard let definition = definitions.first(where: { $0.name == reference.source }), !definition.external, definition.driver == nil else { return nil }
                let base = kind == .secret ? "/run/secrets/" : "/"
                let target = reference.target.map { $0.hasPrefix("/") ? $0 : base + $0 } ?? base + reference.source
                return FileMount(kind: kind, name: reference.source, target: target, file: definition.injectedContent == nil ? definition.file : nil,
                                 content: definition.injectedContent, uid: reference.uid.flatMap { Int($0) } ?? 0,
                                 gid: reference.gid.flatMap { Int($0) } ?? 0, mode: reference.mode ?? 0o444, digest: definition.contentDigest)
            }
        }
        return mounts(service.secrets, project.secrets, .secret) + mounts(service.configs, project.configs, .config)
    }

    /// What `check` reports before anything is created, each at its line: an undefined or external object (Compose
    /// refuses external ones outside Swarm), a Swarm driver, a missing file, an unset variable behind an
    /// `environment` source, an injected source on a `read_only` service (the engine refuses to write into a read-only
    /// root), and `uid`/`gid`/`mode` on a file source, which a bind mount cannot honour (a warning, as in Compose).
    public static func validate(_ project: ComposeProject) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (kind, definitions) in [(Kind.secret, project.secrets), (.config, project.configs)] {
            for definition in definitions {
                if definition.external {
                    diagnostics.append(.error("unsupported-key", "\(kind.rawValue) '\(definition.name)' is external: docker compose refuses external \(kind.rawValue)s outside Swarm (use 'berth stack deploy', or a file, environment or content source)", at: definition.location))
                } else if definition.driver != nil {
                    diagnostics.append(.error("unsupported-key", "\(kind.rawValue) '\(definition.name)' has a driver, which only Swarm supports", at: definition.location))
                } else if let file = definition.file, definition.content == nil, definition.environment == nil,
                          !FileManager.default.fileExists(atPath: file) {
                    diagnostics.append(.error("file-not-found", "\(kind.rawValue) '\(definition.name)': file '\(file)' does not exist", at: definition.location))
                } else if let variable = definition.environment, definition.environmentValue == nil {
                    diagnostics.append(.error("missing-variable", "\(kind.rawValue) '\(definition.name)': environment variable '\(variable)' is not set", at: definition.location))
                } else if definition.file == nil, definition.environment == nil, definition.content == nil {
                    diagnostics.append(.error("invalid-value", "\(kind.rawValue) '\(definition.name)' needs 'file', 'environment' or 'content'", at: definition.location))
                }
            }
        }
        for service in project.services {
            for (kind, references, definitions) in [(Kind.secret, service.secrets, project.secrets), (.config, service.configs, project.configs)] {
                for reference in references {
                    guard let definition = definitions.first(where: { $0.name == reference.source }) else {
                        diagnostics.append(.error("unknown-secret", "service '\(service.name)' refers to undefined \(kind.rawValue) '\(reference.source)'\(Suggestion.didYouMean(reference.source, in: definitions.map(\.name)))",
                                                  at: reference.location ?? service.location, service: service.name))
                        continue
                    }
                    if definition.injectedContent != nil, service.readOnly {
                        diagnostics.append(.error("invalid-value", "service '\(service.name)' is read_only: the engine cannot write \(kind.rawValue) '\(reference.source)' (an environment or content source) into it; use a file source",
                                                  at: reference.location ?? service.location, service: service.name))
                    }
                    if definition.injectedContent == nil, definition.file != nil, reference.uid != nil || reference.gid != nil || reference.mode != nil {
                        diagnostics.append(.warning("unsupported-key", "\(kind.rawValue) '\(reference.source)' is a bind-mounted file: its uid, gid and mode cannot be set (as in docker compose, which ignores them)",
                                                    at: reference.location ?? service.location, service: service.name))
                    }
                }
            }
        }
        return diagnostics
    }
}
