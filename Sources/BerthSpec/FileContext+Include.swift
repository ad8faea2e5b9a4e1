import BerthDiagnostics
import BerthYAML
import Foundation

/// Top-level `include`: other Compose files whose services, networks, volumes, secrets and configs join the project,
/// each read as a project of its own (relative paths from its own directory, its own env files), as Compose does.
extension FileContext {
    static let includedSections = ["services", "networks", "volumes", "secrets", "configs"]

    /// The document with its `include` entries read and added; a name defined both by an included file and by the
    /// including one is an error at both lines.
    mutating func resolveIncludes(in root: YAMLNode, file: String, chain: [String] = []) -> YAMLNode {
        guard let include = root["include"], !include.isNull else { return root }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        var result = root
        result.content = .mapping((root.mapping ?? []).filter { $0.key.scalarText != "include" })
        guard let entries = include.sequence else {
            diagnostics.append(.error("invalid-type", "'include' must be a list of paths or mappings", at: include.location))
            return result
        }
        for entry in entries {
            var paths: [YAMLNode] = []
            var projectDirectory: String?
            var envFiles: [String] = []
            if entry.scalarText != nil {
                paths = [entry]
            } else if entry.mapping != nil {
                for pair in entry.mapping ?? [] where !["path", "project_directory", "env_file"].contains(pair.key.scalarText ?? "") && !(pair.key.scalarText ?? "").hasPrefix("x-") {
                    diagnostics.append(.error("unknown-key", "unknown key '\(pair.key.scalarText ?? "")' in an include entry\(Suggestion.didYouMean(pair.key.scalarText ?? "", in: ["path", "project_directory", "env_file"]))", at: pair.key.location))
                }
                paths = entry["path"].map { $0.sequence ?? [$0] } ?? []
                projectDirectory = entry["project_directory"]?.scalarText.map { ProjectLoader.absolute($0, from: directory) }
                envFiles = (entry["env_file"].map { $0.sequence ?? [$0] } ?? []).compactMap(\.scalarText).map { ProjectLoader.absolute($0, from: directory) }
            }
            guard !paths.isEmpty else {
                diagnostics.append(.error("invalid-value", "an include entry needs a path", at: entry.location))
                continue
            }
            var included: YAMLNode?
            for pathNode in paths {
                guard let text = pathNode.scalarText else { continue }
                let path = ProjectLoader.absolute(text, from: directory)
                if chain.contains(path) || path == file {
                    diagnostics.append(.error("extends-cycle", "circular 'include': \((chain + [file, path]).map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " -> "))", at: pathNode.location))
                    continue
                }
                guard FileManager.default.fileExists(atPath: path) else {
                    diagnostics.append(.error("file-not-found", "included file '\(text)' not found (at \(path))", at: pathNode.location))
                    continue
                }
                // The included file is interpolated with its own env files over the environment.
                var environment: [String: String] = [:]
                for envFile in envFiles.isEmpty ? [URL(fileURLWithPath: projectDirectory ?? URL(fileURLWithPath: path).deletingLastPathComponent().path).appendingPathComponent(".env").path] : envFiles {
                    guard let data = FileManager.default.contents(atPath: envFile) else { continue }
                    for entry in EnvFile.parse(String(decoding: data, as: UTF8.self), lookup: lookup).0 { environment[entry.key] = entry.value }
                }
                let outer = lookup
                let fromFiles = environment
                var child = FileContext(sources: sources, lookup: { outer($0) ?? fromFiles[$0] })
                guard let document = child.read(path) else {
                    diagnostics += child.diagnostics
                    continue
                }
                var resolved = child.resolveExtends(in: child.resolveIncludes(in: document, file: path, chain: chain + [file]), file: path)
                diagnostics += child.diagnostics
                interpolated.formUnion(child.interpolated)
                resolved = Self.anchored(resolved, in: projectDirectory ?? URL(fileURLWithPath: path).deletingLastPathComponent().path)
                included = included.map { ComposeMerger.mergeDocuments($0, resolved) } ?? resolved
            }
            if let included { result = add(included, to: result) }
        }
        return result
    }

    /// Every service's relative paths made absolute from the included project's directory.
    static func anchored(_ document: YAMLNode, in directory: String) -> YAMLNode {
        guard case .mapping(var pairs) = document.content, let index = pairs.firstIndex(where: { $0.key.scalarText == "services" }),
              case .mapping(let services) = pairs[index].value.content else { return document }
        var node = pairs[index].value
        node.content = .mapping(services.map { YAMLPair(key: $0.key, value: anchorPaths($0.value, in: directory)) })
        pairs[index] = YAMLPair(key: pairs[index].key, value: node)
        var copy = document
        copy.content = .mapping(pairs)
        return copy
    }

    /// Adds the included document's resources to the including one; a name in both is an error at both lines.
    mutating func add(_ included: YAMLNode, to root: YAMLNode) -> YAMLNode {
        guard case .mapping(var pairs) = root.content else { return root }
        for section in Self.includedSections {
            guard let incoming = included[section]?.mapping, !incoming.isEmpty else { continue }
            if let index = pairs.firstIndex(where: { $0.key.scalarText == section }) {
                var existing = pairs[index].value.mapping ?? []
                for pair in incoming {
                    if let clash = existing.first(where: { $0.key.scalarText == pair.key.scalarText }) {
                        let name = pair.key.scalarText ?? ""
                        let message = "\(section.dropLast()) '\(name)' is defined both by an included file and by the file that includes it"
                        diagnostics.append(.error("invalid-value", message, at: clash.key.location))
                        diagnostics.append(.error("invalid-value", message, at: pair.key.location))
                        continue
                    }
                    existing.append(pair)
                }
                var node = pairs[index].value
                node.content = .mapping(existing)
                pairs[index] = YAMLPair(key: pairs[index].key, value: node)
            } else if let node = included[section] {
                pairs.append(YAMLPair(key: .string(section), value: node))
            }
        }
        var copy = root
        copy.content = .mapping(pairs)
        return copy
    }
}
