import BerthDiagnostics
import BerthYAML
import Foundation

/// Loads a Compose project the way `docker compose` does: discovery, `.env`, interpolation, `extends`, merging of
/// several files, typing, profiles and the implicit `default` network.
public enum ProjectLoader {
    public static let defaultFileNames = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"]
    /// `-f -`.
    static let standardInput = "/dev/stdin"

    public static func load(_ options: ProjectOptions) -> LoadResult {
        var result = loadProject(options)
        if result.projectDirectory.isEmpty {
            result.projectDirectory = options.projectDirectory.map { absolute($0, from: options.currentDirectory) }
                ?? result.files.first.flatMap { $0 == standardInput ? nil : URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? options.currentDirectory
        }
        return result
    }

    static func loadProject(_ options: ProjectOptions) -> LoadResult {
        let sources = SourceCache()
        var diagnostics: [Diagnostic] = []
        let files = discoverFiles(options, diagnostics: &diagnostics)
        guard !files.isEmpty else { return LoadResult(project: nil, diagnostics: diagnostics, sources: sources) }

        // With `-f -` first, the project directory is the current one, as in Compose.
        let workingDirectory = options.projectDirectory.map { absolute($0, from: options.currentDirectory) }
            ?? (files[0] == standardInput ? options.currentDirectory : URL(fileURLWithPath: files[0]).deletingLastPathComponent().path)
        let environment = loadEnvironment(options, workingDirectory: workingDirectory, diagnostics: &diagnostics)
        let lookup: @Sendable (String) -> String? = { environment[$0] }

        var context = FileContext(sources: sources, lookup: lookup)
        context.interpolates = options.interpolate
        var merged: YAMLNode?
        for file in files {
            guard let root = context.read(file) else { continue }
            let resolved = context.resolveExtends(in: context.resolveIncludes(in: root, file: file), file: file)
            merged = merged.map { ComposeMerger.mergeDocuments($0, resolved) } ?? resolved
        }
        diagnostics += context.diagnostics
        guard let merged else { return LoadResult(project: nil, diagnostics: diagnostics, sources: sources, files: files, projectDirectory: workingDirectory) }

        let name = projectName(options, environment: environment, root: merged, workingDirectory: workingDirectory,
                               diagnostics: &diagnostics)
        var decoder = ComposeDecoder(projectName: name, workingDirectory: workingDirectory, lookup: lookup)
        decoder.interpolated = context.interpolated
        var project = decoder.decodeProject(merged, files: files)
        diagnostics += decoder.diagnostics

        var profiles = options.profiles
        if let fromEnvironment = environment["COMPOSE_PROFILES"] {
            profiles += fromEnvironment.split(separator: ",").map { String($0).trimmingSpaces }
        }
        applyProfiles(&project, active: Set(profiles), selected: Set(options.selectedServices))
        addDefaultNetwork(&project)
        diagnostics += validateReferences(project)
        var result = LoadResult(project: project, diagnostics: diagnostics, sources: sources, files: files, projectDirectory: workingDirectory)
        result.document = merged
        return result
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
                let path = file == "-" ? standardInput : absolute(file, from: options.currentDirectory)
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
                diagnostics.append(.error(error.code, error.message, at: SourceLocation(file: file, line: error.line, column: 1)))
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

    /// Leaves out services none of whose profiles is active. A service named on the command line turns its own
    /// profiles on, so the dependencies that share them come along (compose-go's `WithServicesEnabled`).
    static func applyProfiles(_ project: inout ComposeProject, active explicit: Set<String>, selected: Set<String>) {
        let active = explicit.union(project.services.filter { selected.contains($0.name) }.flatMap(\.profiles))
        let all = active.contains("*")
        func enabled(_ service: Service) -> Bool {
            service.profiles.isEmpty || all || !active.isDisjoint(with: service.profiles)
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
        }
        return diagnostics + FileMount.validate(project)
    }
}
