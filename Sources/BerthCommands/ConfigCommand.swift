import ArgumentParser
import BerthDiagnostics
import BerthSpec
import BerthYAML
import DockerEngine

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print the merged, interpolated, normalised model (like 'docker compose config').")

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @OptionGroup var global: GlobalOptions
    @Option(help: "Output format: yaml or json.") var format: Format = .yaml
    @Flag(help: "Print the service names, one per line.") var services = false
    @Flag(name: [.short, .long], help: "Only validate the configuration; print nothing.") var quiet = false
    @Flag(name: .customLong("resolve-image-digests"), help: "Pin every image to the digest its registry gives now.") var resolveImageDigests = false

    func run() async throws {
        var (project, loaded) = try ProjectSession.load(global, quiet: quiet)
        if resolveImageDigests { project = try await pinned(project, sources: loaded.sources) }
        if quiet { return }
        if services {
            Console.out(project.services.map { $0.name + "\n" }.joined())
            return
        }
        let document = ConfigRenderer.document(project)
        switch format {
        case .yaml: Console.out(try YAMLEmitter.emit(document))
        case .json: Console.out(JSONWriter.write(document))
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
