import BerthDiagnostics
import BerthYAML
import Foundation

/// The result of loading a project: the model (when the files could be read at all) and every diagnostic.
public struct LoadResult: Sendable {
    public var project: ComposeProject?
    public var diagnostics: [Diagnostic]
    public var sources: SourceCache

    public var hasErrors: Bool { diagnostics.hasErrors }
}

/// Loads a Compose project the way `docker compose` does: discovery, `.env`, interpolation, `extends`, merging of
/// several files, typing, profiles and the implicit `default` network.
public enum ProjectLoader {
    public static let defaultFileNames = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"]

    public static func load(_ options: ProjectOptions) -> LoadResult {
        let sources = SourceCache()
        var diagnostics: [Diagnostic] = []
        let files = discoverFiles(options, diagnostics: &diagnostics)
        guard !files.isEmpty else { return LoadResult(project: nil, diagnostics: diagnostics, sources: sources) }

        let workingDirectory = options.projectDirectory.map { absolute($0, from: options.currentDirectory) }
            ?? URL(fileURLWithPath: files[0]).deletingLastPathComponent().path
        let environment = loadEnvironment(options, workingDirectory: workingDirectory, diagnostics: &diagnostics)
        let lookup: @Sendable (String) -> String? = { environment[$0] }

        var context = FileContext(sources: sources, lookup: lookup)
        var merged: YAMLNode?
        for file in files {
            guard let root = context.read(file) else { continue }
            let resolved = context.resolveExtends(in: root, file: file)
            merged = merged.map { ComposeMerger.mergeDocuments($0, resolved) } ?? resolved
        }
        diagnostics += context.diagnostics
        guard let merged else { return LoadResult(project: nil, diagnostics: diagnostics, sources: sources) }

        let name = projectName(options, environment: environment, root: merged, workingDirectory: workingDirectory,
                               diagnostics: &diagnostics)
        var decoder = ComposeDecoder(projectName: name, workingDirectory: workingDirectory, lookup: lookup)
        var project = decoder.decodeProject(merged, files: files)
        diagnostics += decoder.diagnostics

        var profiles = options.profiles
        if let fromEnvironment = environment["COMPOSE_PROFILES"] {
            profiles += fromEnvironment.split(separator: ",").map { String($0).trimmingSpaces }
        }
        applyProfiles(&project, active: Set(profiles), selected: Set(options.selectedServices))
        addDefaultNetwork(&project)
        diagnostics += validateReferences(project)
        return LoadResult(project: project, diagnostics: diagnostics, sources: sources)
    }

    static func absolute(_ path: String, from directory: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }

    static func discoverFiles(_ options: ProjectOptions, diagnostics: inout [Diagnostic]) -> [String] {
        var requested = options.files
        if requested.isEmpty, let fromEnvironment = options.environment["COMPOSE_FILE"], !fromEnvironment.isEmpty {
            let separator = options.environment["COMPOSE_PATH_SEPARATOR"] ?? ":"
            requested = fromEnvironment.components(separatedBy: separator).filter { !$0.isEmpty }
        }
        let base = options.projectDirectory.map { absolute($0, from: options.currentDirectory) } ?? options.currentDirectory
        if !requested.isEmpty {
            var found: [String] = []
            for file in requested {
                let path = file == "-" ? "/dev/stdin" : absolute(file, from: options.currentDirectory)
                if FileManager.default.fileExists(atPath: path) {
                    found.append(path)
                } else {
                    diagnostics.append(.error("file-not-found", "compose file '\(file)' not found", at: nil))
                }
            }
            return diagnostics.hasErrors ? [] : found
        }
        // Look in the directory and its parents, as Compose does.
        var directory = URL(fileURLWithPath: base)
        while true {
            for name in defaultFileNames {
                let candidate = directory.appendingPathComponent(name).path
                guard FileManager.default.fileExists(atPath: candidate) else { continue }
                var files = [candidate]
                let dot = name.lastIndex(of: ".")!
                let overrideName = name[..<dot] + ".override" + name[dot...]
                let override = directory.appendingPathComponent(String(overrideName)).path
                if FileManager.default.fileExists(atPath: override) { files.append(override) }
                return files
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        diagnostics.append(.error("file-not-found", "no configuration file provided: not found (looked for \(defaultFileNames.joined(separator: ", ")) in \(base) and its parents)", at: nil))
        return []
    }

    /// The process environment over the `.env` file (or the `--env-file` files).
    static func loadEnvironment(_ options: ProjectOptions, workingDirectory: String, diagnostics: inout [Diagnostic]) -> [String: String] {
        var environment: [String: String] = [:]
        let explicit = !options.envFiles.isEmpty
        let files = explicit ? options.envFiles.map { absolute($0, from: options.currentDirectory) }
            : [URL(fileURLWithPath: workingDirectory).appendingPathComponent(".env").path]
        let process = options.environment
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                if explicit { diagnostics.append(.error("file-not-found", "env file '\(file)' not found", at: nil)) }
                continue
            }
            let snapshot = environment
            let (entries, errors) = EnvFile.parse(String(decoding: data, as: UTF8.self)) { process[$0] ?? snapshot[$0] }
            for entry in entries { environment[entry.key] = entry.value ?? process[entry.key] }
            for error in errors {
                diagnostics.append(.error("env-file-syntax", error.message, at: SourceLocation(file: file, line: error.line, column: 1)))
            }
        }
        for (key, value) in process { environment[key] = value }
        return environment
    }

    static func projectName(_ options: ProjectOptions, environment: [String: String], root: YAMLNode, workingDirectory: String,
                            diagnostics: inout [Diagnostic]) -> String {
        if let explicit = options.projectName ?? environment["COMPOSE_PROJECT_NAME"], !explicit.isEmpty {
            if !ProjectName.isValid(explicit) {
                diagnostics.append(.error("invalid-project-name", "invalid project name '\(explicit)': it must contain only lower-case letters, digits, '-' and '_', and start with a letter or digit", at: nil))
            }
            return ProjectName.normalize(explicit)
        }
        if let nameNode = root["name"], let name = nameNode.scalarText, !name.isEmpty {
            if !ProjectName.isValid(name) {
                diagnostics.append(.error("invalid-project-name", "invalid project name '\(name)': it must contain only lower-case letters, digits, '-' and '_', and start with a letter or digit", at: nameNode.location))
            }
            return ProjectName.normalize(name)
        }
        return ProjectName.normalize(URL(fileURLWithPath: workingDirectory).lastPathComponent)
    }

    static func applyProfiles(_ project: inout ComposeProject, active: Set<String>, selected: Set<String>) {
        let all = active.contains("*")
        func enabled(_ service: Service) -> Bool {
            service.profiles.isEmpty || all || !active.isDisjoint(with: service.profiles) || selected.contains(service.name)
        }
        guard project.services.contains(where: { !enabled($0) }) else { return }
        project.disabledServices = project.services.filter { !enabled($0) }
        project.services.removeAll { !enabled($0) }
    }

    static func addDefaultNetwork(_ project: inout ComposeProject) {
        var needsDefault = false
        for index in project.services.indices where project.services[index].networkMode == nil && project.services[index].networks.isEmpty {
            project.services[index].networks = [ServiceNetwork(name: "default", aliases: [], ipv4Address: nil, ipv6Address: nil,
                                                               priority: nil, location: project.services[index].location)]
            needsDefault = true
        }
        if project.services.contains(where: { $0.networks.contains { $0.name == "default" } }) { needsDefault = true }
        if needsDefault, project.network(named: "default") == nil {
            var network = NetworkDefinition(name: "default", engineName: "\(project.name)_default",
                                            location: SourceLocation(file: project.files.first ?? "", line: 1, column: 1))
            network.declared = false
            project.networks.append(network)
        }
    }

    static func validateReferences(_ project: ComposeProject) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let networkNames = project.networks.map(\.name)
        let volumeNames = project.volumes.map(\.name)
        for service in project.services {
            for network in service.networks where !networkNames.contains(network.name) {
                diagnostics.append(.error("unknown-network", "service '\(service.name)' refers to undefined network '\(network.name)'\(Suggestion.didYouMean(network.name, in: networkNames))", at: network.location, service: service.name))
            }
            for volume in service.volumes where volume.type == .volume {
                guard let source = volume.source, !volumeNames.contains(source) else { continue }
                diagnostics.append(.error("unknown-volume", "service '\(service.name)' refers to undefined volume '\(source)'\(Suggestion.didYouMean(source, in: volumeNames))", at: volume.location, service: service.name))
            }
            for secret in service.secrets where !project.secrets.contains(where: { $0.name == secret.source }) {
                diagnostics.append(.error("unknown-secret", "service '\(service.name)' refers to undefined secret '\(secret.source)'", at: service.location, service: service.name))
            }
        }
        return diagnostics
    }
}

/// Reads, interpolates and resolves `extends` for the files of one load.
struct FileContext {
    let sources: SourceCache
    let lookup: @Sendable (String) -> String?
    var diagnostics: [Diagnostic] = []
    private var cache: [String: YAMLNode] = [:]

    init(sources: SourceCache, lookup: @escaping @Sendable (String) -> String?) {
        self.sources = sources
        self.lookup = lookup
    }

    /// Reads one file: YAML errors and interpolation errors are collected; returns its first document.
    mutating func read(_ path: String) -> YAMLNode? {
        if let cached = cache[path] { return cached }
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.append(.error("file-not-found", "cannot read '\(path)'", at: nil))
            return nil
        }
        let bytes = Array(data)
        sources.register(path: path, text: String(decoding: bytes, as: UTF8.self))
        let file = YAMLComposer.compose(bytes, path: path)
        diagnostics += file.diagnostics
        guard !file.diagnostics.hasErrors, let document = file.documents.first else {
            if file.documents.isEmpty && !file.diagnostics.hasErrors {
                diagnostics.append(.error("empty-file", "the compose file is empty", at: SourceLocation(file: path, line: 1, column: 1)))
            }
            return nil
        }
        var merged = document
        for extra in file.documents.dropFirst() { merged = ComposeMerger.mergeDocuments(merged, extra) }
        let interpolated = interpolate(merged)
        cache[path] = interpolated
        return interpolated
    }

    mutating func interpolate(_ node: YAMLNode) -> YAMLNode {
        interpolated(node) ?? node
    }

    /// The node with its variables substituted, or nil when nothing in it changed (so untouched subtrees are not copied).
    private mutating func interpolated(_ node: YAMLNode) -> YAMLNode? {
        switch node.content {
        case .scalar(let text, let style):
            guard text.utf8.contains(UInt8(ascii: "$")) else { return nil }
            switch Interpolator(lookup: lookup).interpolate(text) {
            case .success(let value):
                // An interpolated plain scalar is read again as a plain scalar (`replicas: $N` is a number).
                var copy = node
                copy.content = .scalar(value, style)
                return copy
            case .failure(let failure):
                var location = node.location
                if style == .plain, !text.utf8.contains(UInt8(ascii: "\n")) { location.column += failure.offset }
                diagnostics.append(.error(failure.code, failure.message, at: location))
                return nil
            }
        case .sequence(var items):
            var changed = false
            for index in items.indices {
                if let replacement = interpolated(items[index]) {
                    items[index] = replacement
                    changed = true
                }
            }
            guard changed else { return nil }
            var copy = node
            copy.content = .sequence(items)
            return copy
        case .mapping(var pairs):
            var changed = false
            for index in pairs.indices {
                if let replacement = interpolated(pairs[index].value) {
                    pairs[index].value = replacement
                    changed = true
                }
            }
            guard changed else { return nil }
            var copy = node
            copy.content = .mapping(pairs)
            return copy
        }
    }

    /// Replaces each service's `extends` with the merged result of the service it extends.
    mutating func resolveExtends(in root: YAMLNode, file: String) -> YAMLNode {
        guard let services = root["services"]?.mapping, services.contains(where: { $0.value["extends"] != nil }) else { return root }
        var resolvedServices: [YAMLPair] = []
        for pair in services {
            guard let name = pair.key.scalarText else { continue }
            var chain: [String] = []
            let resolved = resolveService(name: name, node: pair.value, file: file, root: root, chain: &chain)
            resolvedServices.append(YAMLPair(key: pair.key, value: resolved))
        }
        var result = root
        if case .mapping(var pairs) = root.content, let index = pairs.firstIndex(where: { $0.key.scalarText == "services" }) {
            var servicesNode = pairs[index].value
            servicesNode.content = .mapping(resolvedServices)
            pairs[index] = YAMLPair(key: pairs[index].key, value: servicesNode)
            result.content = .mapping(pairs)
        }
        return result
    }

    private mutating func resolveService(name: String, node: YAMLNode, file: String, root: YAMLNode, chain: inout [String]) -> YAMLNode {
        guard let extends = node["extends"] else { return node }
        let marker = "\(file)#\(name)"
        if chain.contains(marker) {
            let path = (chain + [marker]).map { $0.components(separatedBy: "#").last ?? $0 }.joined(separator: " -> ")
            diagnostics.append(.error("extends-cycle", "circular 'extends': \(path)", at: extends.location, service: name))
            return withoutExtends(node)
        }
        chain.append(marker)
        defer { chain.removeLast() }
        var baseName: String?
        var baseFile = file
        if let text = extends.scalarText {
            baseName = text
        } else {
            baseName = extends["service"]?.scalarText
            if let other = extends["file"]?.scalarText {
                baseFile = ProjectLoader.absolute(other, from: URL(fileURLWithPath: file).deletingLastPathComponent().path)
            }
        }
        guard let baseName else {
            diagnostics.append(.error("invalid-extends", "'extends' needs a service name", at: extends.location, service: name))
            return withoutExtends(node)
        }
        let baseRoot: YAMLNode
        if baseFile == file {
            baseRoot = root
        } else {
            guard FileManager.default.fileExists(atPath: baseFile), let other = read(baseFile) else {
                diagnostics.append(.error("file-not-found", "'extends' refers to a file that cannot be read: '\(baseFile)'", at: extends.location, service: name))
                return withoutExtends(node)
            }
            baseRoot = other
        }
        guard let baseNode = baseRoot["services"]?[baseName] else {
            let names = baseRoot["services"]?.mapping?.compactMap(\.key.scalarText) ?? []
            diagnostics.append(.error("unknown-service", "'extends' refers to unknown service '\(baseName)'\(Suggestion.didYouMean(baseName, in: names))", at: extends.location, service: name))
            return withoutExtends(node)
        }
        var resolvedBase = resolveService(name: baseName, node: baseNode, file: baseFile, root: baseRoot, chain: &chain)
        if baseFile != file {
            // Relative paths in the extended file are relative to that file, not to this project.
            resolvedBase = Self.anchorPaths(resolvedBase, in: URL(fileURLWithPath: baseFile).deletingLastPathComponent().path)
        }
        return ComposeMerger.mergeService(withoutExtends(resolvedBase), withoutExtends(node))
    }

    /// Makes the relative paths of a service (build context, env files, bind-mount sources) absolute from `directory`.
    static func anchorPaths(_ service: YAMLNode, in directory: String) -> YAMLNode {
        func absolute(_ node: YAMLNode) -> YAMLNode {
            guard let text = node.scalarText, !text.hasPrefix("/"), !text.hasPrefix("~"), !text.contains("://") else { return node }
            var copy = node
            copy.content = .scalar(ProjectLoader.absolute(text, from: directory), .plain)
            return copy
        }
        guard case .mapping(var pairs) = service.content else { return service }
        for index in pairs.indices {
            let value = pairs[index].value
            switch pairs[index].key.scalarText {
            case "build":
                if value.scalarText != nil {
                    pairs[index].value = absolute(value)
                } else if case .mapping(var fields) = value.content, let context = fields.firstIndex(where: { $0.key.scalarText == "context" }) {
                    fields[context].value = absolute(fields[context].value)
                    pairs[index].value.content = .mapping(fields)
                }
            case "env_file":
                let items = (value.sequence ?? [value]).map { item -> YAMLNode in
                    guard case .mapping(var fields) = item.content, let path = fields.firstIndex(where: { $0.key.scalarText == "path" }) else {
                        return absolute(item)
                    }
                    fields[path].value = absolute(fields[path].value)
                    var copy = item
                    copy.content = .mapping(fields)
                    return copy
                }
                pairs[index].value.content = .sequence(items)
            case "volumes":
                guard let items = value.sequence else { continue }
                pairs[index].value.content = .sequence(items.map { item in
                    guard let text = item.scalarText, text.hasPrefix(".") else { return item }
                    var copy = item
                    let split = text.firstIndex(of: ":") ?? text.endIndex
                    copy.content = .scalar(ProjectLoader.absolute(String(text[..<split]), from: directory) + text[split...], .plain)
                    return copy
                })
            default:
                continue
            }
        }
        var copy = service
        copy.content = .mapping(pairs)
        return copy
    }

    private func withoutExtends(_ node: YAMLNode) -> YAMLNode {
        guard case .mapping(let pairs) = node.content else { return node }
        var copy = node
        copy.content = .mapping(pairs.filter { $0.key.scalarText != "extends" })
        return copy
    }
}
