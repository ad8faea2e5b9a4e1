import ArgumentParser
import BerthDiagnostics
import BerthPlan
import BerthRuntime
import BerthSpec
import Foundation

/// `berth build`: the images of the services with a `build` section, through the engine's build endpoint.
struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Build the images of the services that have a build section.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-cache"), help: "Do not use the cache when building.") var noCache = false
    @Flag(help: "Always try to pull a newer version of the base images.") var pull = false
    @Option(name: .customLong("build-arg"), help: "Set a build-time variable: KEY=VALUE, or KEY to take it from the environment (repeatable).")
    var buildArgs: [String] = []
    @Flag(name: [.short, .customLong("quiet")], help: "Print nothing but errors.") var quiet = false
    var progress: ProgressStyle { global.progress }
    @Argument(help: "Services to build (default: all that have a build section).", completion: ServiceCompletion.kind) var services: [String] = []

    func run() async throws {
        let (project, loaded) = try ProjectSession.load(global, services: services, quiet: false)
        var options = Executor.BuildOptions()
        options.noCache = noCache
        options.pull = pull
        for arg in buildArgs {
            if let equals = arg.firstIndex(of: "=") {
                options.args[String(arg[..<equals])] = String(arg[arg.index(after: equals)...])
            } else if let value = ProcessInfo.processInfo.environment[arg] {
                options.args[arg] = value
            }
        }
        let client = try global.engineClient()
        let executor = Executor(client: client, progress: quiet ? .silent : progress.reporter(), configDirectory: global.dockerConfigDirectory)
        var failures: [Diagnostic] = []
        var built = Set<String>()
        for service in project.services where (services.isEmpty || services.contains(service.name)) {
            guard let build = service.build else { continue }
            let image = Planner.imageReference(project: project, service: service)
            guard built.insert(image).inserted else { continue }
            do {
                try await executor.buildImage(image, build: build, service: service, project: project.name, options: options)
            } catch {
                failures += error.diagnostics
            }
        }
        await client.shutdown()
        Console.error(DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor).render(failures))
        if !failures.isEmpty { throw ExitCode(1) }
    }
}
