import ArgumentParser
import BerthDiagnostics
import BerthGraph
import BerthPlan
import BerthRuntime
import BerthSpec
import DockerEngine

/// `berth pull`: the services' images, in parallel, with credentials as the docker CLI finds them.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pull", abstract: "Pull the images of the services.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: [.short, .customLong("quiet")], help: "Pull without printing progress.") var quiet = false
    @Flag(name: .customLong("ignore-pull-failures"), help: "Pull what it can and ignore the images that fail.") var ignoreFailures = false
    @Flag(name: .customLong("include-deps"), help: "Also pull the services the named ones depend on.") var includeDeps = false
    @Flag(name: .customLong("ignore-buildable"), help: "Leave out the images that can be built.") var ignoreBuildable = false
    @Option(help: "Pull policy for every service: missing or always (default: each service's pull_policy).") var policy: String?
    var progress: ProgressStyle { global.progress }
    @Argument(help: "Services to pull (default: all).", completion: ServiceCompletion.kind) var services: [String] = []

    func run() async throws {
        let (project, loaded) = try ProjectSession.load(global, services: services, quiet: false)
        var override: PullPolicy?
        if let policy {
            guard let parsed = PullPolicy(policy), parsed == .missing || parsed == .always else {
                throw ValidationError("--policy must be 'missing' or 'always', not '\(policy)'")
            }
            override = parsed
        }
        let selected = services.isEmpty || !includeDeps ? services : ServiceGraph.build(project).0.withDependencies(services)
        let client = try global.engineClient()
        let engine: EngineSnapshot
        do {
            engine = try await EngineSnapshotReader.read(client: client, project: project)
        } catch {
            Console.error("berth: \(error)\n")
            await client.shutdown()
            throw ExitCode(1)
        }
        let decisions = Planner.pullDecisions(project: project, services: selected, policy: override, ignoreBuildable: ignoreBuildable, engine: engine)
        let reporter = quiet ? .silent : progress.reporter()
        for skipped in decisions where !skipped.pull { reporter(.resource(.image, skipped.reference, .skipped, skipped.reason)) }
        let pulls = decisions.filter(\.pull)
        let transfer = ImageTransfer(client: client, progress: reporter, configDirectory: global.dockerConfigDirectory)
        let outcomes = await transfer.pull(pulls.map(\.reference))
        var diagnostics: [Diagnostic] = []
        var mustBuild: [String] = []
        for (decision, outcome) in zip(pulls, outcomes) {
            guard let error = outcome.error, let service = project.service(named: decision.service) else { continue }
            if decision.buildable { mustBuild.append(service.name) }
            let severity: Severity = ignoreFailures ? .warning : .error
            diagnostics.append(Diagnostic(severity, code: outcome.credentials ? "registry-credentials" : "pull-failed",
                                          "service '\(service.name)': cannot pull image '\(decision.reference)': \(error)",
                                          at: service.imageLocation ?? service.location, service: service.name))
        }
        Console.error(DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor).render(diagnostics))
        if !mustBuild.isEmpty {
            Console.error("berth: warning: some service images must be built from source: berth build \(mustBuild.joined(separator: " "))\n")
        }
        await client.shutdown()
        if diagnostics.hasErrors { throw ExitCode(1) }
    }
}
