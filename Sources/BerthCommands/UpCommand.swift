import ArgumentParser
import BerthDiagnostics
import BerthRuntime
import BerthSpec
import DockerEngine
import Foundation

struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "up", abstract: "Check the stack, then create and start it.")

    enum PullPolicy: String, ExpressibleByArgument, CaseIterable { case missing, always, never }

    @OptionGroup var global: GlobalOptions
    @Flag(name: [.short, .customLong("detach")], help: "Run in the background.") var detach = false
    @Flag(help: "Wait until every service is running and healthy.") var wait = false
    @Flag(name: .customLong("no-check"), help: "Skip the pre-flight check.") var noCheck = false
    @Flag(name: .customLong("force-recreate"), help: "Recreate containers even if nothing changed.") var forceRecreate = false
    @Flag(name: .customLong("no-recreate"), help: "Keep existing containers even if they changed.") var noRecreate = false
    @Flag(name: .customLong("remove-orphans"), help: "Remove containers of services not in the files.") var removeOrphans = false
    @Flag(help: "If up fails, remove what this run created.") var rollback = false
    @Option(help: "Pull images: missing, always or never.") var pull: PullPolicy = .missing
    @Flag(help: "Build images of services with a build context before starting them.") var build = false
    @Argument(help: "Services to start (with their dependencies).") var services: [String] = []

    func validate() throws {
        if forceRecreate && noRecreate { throw ValidationError("--force-recreate and --no-recreate cannot be combined") }
    }

    func run() async throws {
        let (project, loaded) = try ProjectSession.load(global, services: services, quiet: true)
        let renderer = DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor)
        if !noCheck {
            let session = await PreflightSession.run(project: project, hostScan: true, useEngine: true)
            let shown = session.diagnostics.filter { $0.severity != .note }
            if !shown.isEmpty { Console.error(renderer.render(shown)) }
            if session.diagnostics.hasErrors {
                Console.error("berth: nothing was created: the pre-flight check found \(session.diagnostics.count(of: .error)) error(s) (use --no-check to skip it)\n")
                throw ExitCode(1)
            }
        }
        let client = DockerClient()
        var options = Executor.UpOptions()
        options.services = services
        options.forceRecreate = forceRecreate
        options.noRecreate = noRecreate
        options.removeOrphans = removeOrphans
        options.pull = pull.rawValue
        options.build = build
        options.wait = wait
        options.rollback = rollback
        let executor = Executor(client: client, progress: TerminalProgress.reporter())
        do {
            try await executor.up(project, options: options)
        } catch {
            Console.error(renderer.render(error.diagnostics))
            await client.shutdown()
            throw ExitCode(1)
        }
        if !detach {
            let signals = InterruptSignals()
            await LogFollower(client: client, project: project.name, services: services, useColor: global.useColor)
                .follow(tail: "all", until: signals)
            Console.error("Gracefully stopping... (press Ctrl+C again to force)\n")
            let timeouts = Dictionary(uniqueKeysWithValues: project.services.map { ($0.name, Int($0.stopGracePeriod?.components.seconds ?? 10)) })
            await StopOnInterrupt.stopProject(client: client, project: project.name, timeouts: timeouts, signals: signals)
        }
        await client.shutdown()
    }
}

struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "down", abstract: "Stop and remove the project's containers and networks.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: [.short, .customLong("volumes")], help: "Also remove named volumes.") var volumes = false
    /// Accepted for Compose compatibility: down removes every container labelled with the project, orphans included.
    @Flag(name: .customLong("remove-orphans"), help: "Also remove containers of services not in the files (always done).") var removeOrphans = false
    @Option(name: [.short, .customLong("timeout")], help: "Seconds to wait for each container to stop.") var timeout: Int?

    func run() async throws {
        // down works from the labels, so it works even when the files changed; with -p it does not need them at all.
        let loaded = ProjectLoader.load(global.projectOptions())
        let name: String
        if let explicit = global.projectName {
            name = ProjectName.normalize(explicit)
        } else if let project = loaded.project {
            name = project.name
        } else {
            Console.error(DiagnosticRenderer(sources: loaded.sources).render(loaded.diagnostics))
            throw ExitCode(1)
        }
        var timeouts: [String: Int] = [:]
        for service in loaded.project?.services ?? [] { timeouts[service.name] = service.stopGracePeriod.map { Int($0.components.seconds) } }
        let client = DockerClient()
        var options = Executor.DownOptions()
        options.removeVolumes = volumes
        options.timeout = timeout
        do {
            try await Executor(client: client, progress: TerminalProgress.reporter()).down(projectName: name, stopTimeouts: timeouts, options: options)
        } catch {
            Console.error(DiagnosticRenderer(sources: SourceCache()).render(error.diagnostics))
            await client.shutdown()
            throw ExitCode(1)
        }
        await client.shutdown()
    }
}
