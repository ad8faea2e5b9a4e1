import ArgumentParser
import BerthDiagnostics
import BerthPlan
import BerthSpec
import BerthYAML
import BerthGraph
import Foundation
import DockerEngine

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print the merged, interpolated, normalised model (like 'docker compose config').")

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @OptionGroup var global: GlobalOptions
    @Option(help: "Output format: yaml or json.") var format: Format = .yaml
    @Flag(help: "Print the service names, one per line, dependencies first.") var services = false
    @Flag(help: "Print the volume names, one per line.") var volumes = false
    @Flag(help: "Print the network names, one per line.") var networks = false
    @Flag(help: "Print every profile of the files, sorted.") var profiles = false
    @Flag(help: "Print the image each service runs, one per line.") var images = false
    @Option(help: ArgumentHelp("Print the config hash of these services ('*' for all), as 'service hash' lines.", valueName: "SERVICE,...|*")) var hash: String?
    @Option(name: [.short, .customLong("output")], help: "Write to this file instead of standard output.") var output: String?
    @Flag(name: .customLong("no-interpolate"), help: "Print the merged files with their variables as written.") var noInterpolate = false
    @Flag(name: .customLong("no-normalize"), help: "Print the merged files as written (interpolated), not Berth's normalised model.") var noNormalize = false
    @Flag(name: [.short, .long], help: "Only validate the configuration; print nothing.") var quiet = false
    @Flag(name: .customLong("resolve-image-digests"), help: "Pin every image to the digest its registry gives now.") var resolveImageDigests = false

    func run() async throws {
        if noInterpolate || noNormalize { return try printMerged() }
        var (project, loaded) = try ProjectSession.load(global, quiet: quiet)
        if resolveImageDigests { project = try await pinned(project, sources: loaded.sources) }
        if quiet { return }
        try write(try listing(project) ?? {
            let document = ConfigRenderer.document(project)
            return switch format {
            case .yaml: try YAMLEmitter.emit(document)
            case .json: JSONWriter.write(document)
            }
        }())
    }

    /// The first listing flag asked for, in Compose's order (services, volumes, networks, hash, profiles, images).
    func listing(_ project: ComposeProject) throws -> String? {
        func lines(_ items: [String]) -> String { items.map { $0 + "\n" }.joined() }
        if services {
            let (graph, _) = ServiceGraph.build(project)
            return lines(graph.levels().flatMap { $0 })
        }
        if volumes { return lines(project.volumes.map(\.name)) }
        if networks { return lines(project.networks.map(\.name)) }
        if let hash {
            let names = hash == "*" ? project.services.map(\.name) : hash.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            try ProjectSession.requireServices(names, in: project)
            return lines(names.sorted().compactMap { name in project.service(named: name).map { "\(name) \(ServiceFingerprint($0, project: project).hash)" } })
        }
        if profiles { return lines(Array(Set((project.services + project.disabledServices).flatMap(\.profiles))).sorted()) }
        if images { return lines(project.services.map { Planner.imageReference(project: project, service: $0) }) }
        return nil
    }

    /// `--no-interpolate`, `--no-normalize`: the files merged into one document (includes and `extends` resolved),
    /// without Berth's typing and normalisation; with `--no-interpolate`, `${VAR}` stays as written.
    func printMerged() throws {
        var options = global.projectOptions()
        options.interpolate = !noInterpolate
        let loaded = ProjectLoader.load(options)
        guard let document = loaded.document else {
            Console.error(DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor).render(loaded.diagnostics))
            throw ExitCode(1)
        }
        if quiet { return }
        try write(format == .json ? JSONWriter.write(document) : try YAMLEmitter.emit(document))
    }

    func write(_ text: String) throws {
        guard let output else { return Console.out(text) }
        do {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            Console.error("berth: cannot write '\(output)': \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
    }

    /// Each image as `name:tag@sha256:...`, from the registry (`GET /distribution/{name}/json`), with credentials as
    /// the docker CLI finds them. A reference already pinned is left as it is.
    func pinned(_ project: ComposeProject, sources: SourceCache) async throws -> ComposeProject {
        var project = project
        let client = try global.engineClient()
        let config = try? DockerConfigFile.load(directory: global.dockerConfigDirectory)
        var failures: [Diagnostic] = []
        for index in project.services.indices {
            guard let image = project.services[index].image, ImageReference(image).digest == nil else { continue }
            do {
                let auth = try config.flatMap { try RegistryAuth.resolve(registry: RegistryAuth.registry(of: image), config: $0) }
                let digest = try await client.distributionDigest(image, auth: auth)
                let parsed = ImageReference(image)
                project.services[index].image = "\(parsed.name):\(parsed.tag ?? "latest")@\(digest)"
            } catch {
                let service = project.services[index]
                failures.append(.error("pull-failed", "service '\(service.name)': cannot resolve the digest of '\(image)': \((error as? DockerError)?.message ?? "\(error)")",
                                       at: service.imageLocation ?? service.location, service: service.name))
            }
        }
        await client.shutdown()
        if !failures.isEmpty {
            Console.error(DiagnosticRenderer(sources: sources, useColor: global.useColor).render(failures))
            throw ExitCode(1)
        }
        return project
    }
}
