import ArgumentParser
import BerthDiagnostics
import BerthGraph
import BerthRuntime
import BerthSpec

/// `berth push`: the images of the services that build one and name it (`image:` beside `build:`), as
/// `docker compose push` chooses them.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "push", abstract: "Push the images of the services that build them.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: [.short, .customLong("quiet")], help: "Push without printing progress.") var quiet = false
    @Flag(name: .customLong("ignore-push-failures"), help: "Push what it can and ignore the images that fail.") var ignoreFailures = false
    @Flag(name: .customLong("include-deps"), help: "Also push the services the named ones depend on.") var includeDeps = false
    var progress: ProgressStyle { global.progress }
    @Argument(help: "Services to push (default: all).", completion: ServiceCompletion.kind) var services: [String] = []

    func run() async throws {
        let (project, loaded) = try ProjectSession.load(global, services: services, quiet: false)
        let selected = services.isEmpty || !includeDeps ? services : ServiceGraph.build(project).0.withDependencies(services)
        let reporter = quiet ? .silent : progress.reporter()
        var pushes: [(service: Service, reference: String)] = []
        for service in project.services where selected.isEmpty || selected.contains(service.name) {
            guard service.build != nil, let image = service.image else {
                reporter(.resource(.image, service.image ?? service.name, .skipped, service.build == nil ? "not built by this project" : "no image: name to push"))
                continue
            }
            if !pushes.contains(where: { $0.reference == image }) { pushes.append((service, image)) }
        }
        let client = try global.engineClient()
        let outcomes = await ImageTransfer(client: client, progress: reporter, configDirectory: global.dockerConfigDirectory).push(pushes.map(\.reference))
        await client.shutdown()
        var diagnostics: [Diagnostic] = []
        for (push, outcome) in zip(pushes, outcomes) {
            guard let error = outcome.error else { continue }
            diagnostics.append(Diagnostic(ignoreFailures ? .warning : .error, code: outcome.credentials ? "registry-credentials" : "push-failed",
                                          "service '\(push.service.name)': cannot push image '\(push.reference)': \(error)",
                                          at: push.service.imageLocation ?? push.service.location, service: push.service.name))
        }
        Console.error(DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor).render(diagnostics))
        if diagnostics.hasErrors { throw ExitCode(1) }
    }
}
