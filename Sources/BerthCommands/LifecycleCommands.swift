import ArgumentParser
import BerthDiagnostics
import BerthPlan
import BerthRuntime

/// `start`, `stop`, `restart`, `kill`, `pause` and `unpause`: act on the project's existing containers, through the
/// lifecycle plan (`Planner.lifecycle`), as `docker compose` does.
struct LifecycleRun {
    let global: GlobalOptions
    let progress: ProgressStyle
    let services: [String]

    @discardableResult
    func run(_ action: DeploymentPlan.ContainerAction, options: Executor.LifecycleOptions = .init()) async throws -> DeploymentPlan {
        let (project, _) = try ProjectSession.load(global, services: services, quiet: true)
        if global.dryRun {
            try await DryRun.showLifecycle(action, project: project, services: services, global: global)
            return Planner.lifecycle(action, project: project, services: services, engine: .unreachable)
        }
        let client = try global.engineClient()
        do {
            let plan = try await global.executor(client, progress: progress.reporter()).lifecycle(action, project: project, services: services, options: options)
            let warnings = plan.diagnostics.filter { $0.severity != .error }
            if !warnings.isEmpty { Console.error(DiagnosticRenderer(sources: SourceCache()).render(warnings)) }
            await client.shutdown()
            return plan
        } catch {
            Console.error(DiagnosticRenderer(sources: SourceCache()).render(error.diagnostics))
            await client.shutdown()
            throw ExitCode(1)
        }
    }
}

struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start the services' existing containers.")
    @OptionGroup var global: GlobalOptions
    var progress: ProgressStyle { global.progress }
    @Argument(help: "Services (all when none).", completion: ServiceCompletion.kind) var services: [String] = []
    @Flag(help: "Wait until the containers run and are healthy.") var wait = false
    @Option(name: .customLong("wait-timeout"), help: "Seconds --wait waits at most.") var waitTimeout: Int?
    func run() async throws {
        var options = Executor.LifecycleOptions()
        options.wait = wait
        options.waitTimeout = waitTimeout
        try await LifecycleRun(global: global, progress: progress, services: services).run(.start, options: options)
    }
}

struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the services' containers without removing them.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("timeout")], help: "Seconds to wait before killing (the service's stop_grace_period by default).") var timeout: Int?
    var progress: ProgressStyle { global.progress }
    @Argument(help: "Services (all when none).", completion: ServiceCompletion.kind) var services: [String] = []
    func run() async throws {
        var options = Executor.LifecycleOptions()
        options.timeout = timeout
        try await LifecycleRun(global: global, progress: progress, services: services).run(.stop, options: options)
    }
}

struct RestartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restart", abstract: "Restart the services' containers.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("timeout")], help: "Seconds to wait before killing (the service's stop_grace_period by default).") var timeout: Int?
    @Flag(name: .customLong("no-deps"), help: "Do not restart the services that depend on these with restart: true.") var noDeps = false
    var progress: ProgressStyle { global.progress }
    @Argument(help: "Services (all when none).", completion: ServiceCompletion.kind) var services: [String] = []
    func run() async throws {
        var options = Executor.LifecycleOptions()
        options.timeout = timeout
        options.dependents = !noDeps
        try await LifecycleRun(global: global, progress: progress, services: services).run(.restart, options: options)
    }
}

struct KillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kill", abstract: "Send a signal (SIGKILL by default) to the services' containers.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("signal")], help: "The signal to send.") var signal: String = "SIGKILL"
    @Flag(name: .customLong("remove-orphans"), help: "Also kill the containers of services no longer in the files.") var removeOrphans = false
    var progress: ProgressStyle { global.progress }
    @Argument(help: "Services (all when none).", completion: ServiceCompletion.kind) var services: [String] = []
    func run() async throws {
        var options = Executor.LifecycleOptions()
        options.signal = signal
        options.orphans = removeOrphans
        try await LifecycleRun(global: global, progress: progress, services: services).run(.kill, options: options)
    }
}

struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause the services' containers.")
    @OptionGroup var global: GlobalOptions
    var progress: ProgressStyle { global.progress }
    @Argument(help: "Services (all when none).", completion: ServiceCompletion.kind) var services: [String] = []
    func run() async throws { try await LifecycleRun(global: global, progress: progress, services: services).run(.pause) }
}

struct UnpauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unpause", abstract: "Unpause the services' containers.")
    @OptionGroup var global: GlobalOptions
    var progress: ProgressStyle { global.progress }
    @Argument(help: "Services (all when none).", completion: ServiceCompletion.kind) var services: [String] = []
    func run() async throws { try await LifecycleRun(global: global, progress: progress, services: services).run(.unpause) }
}

struct RmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove the services' stopped containers.")
    @OptionGroup var global: GlobalOptions
    /// `-f` after `rm` means force, as in Compose; the command line is rewritten to `--force` before parsing.
    @Flag(name: .customLong("force"), help: "Do not ask before removing (-f).") var force = false
    @Flag(name: .shortAndLong, help: "Stop the containers first.") var stop = false
    @Flag(name: .shortAndLong, help: "Remove the containers' anonymous volumes too.") var volumes = false
    @Flag(name: .shortAndLong, help: .hidden) var all = false
    var progress: ProgressStyle { global.progress }
    @Argument(help: "Services (all when none).", completion: ServiceCompletion.kind) var services: [String] = []

    func run() async throws {
        let runner = LifecycleRun(global: global, progress: progress, services: services)
        if stop { try await runner.run(.stop) }
        var options = Executor.LifecycleOptions()
        options.removeVolumes = volumes
        let force = force
        // As Compose asks: "Going to remove a, b", then yes or no (a line from a pipe; y or true accepts).
        options.confirm = { steps in
            let question = "Going to remove \(steps.map(\.name).joined(separator: ", "))"
            if force {
                Console.out(question + "\n")
                return true
            }
            return Prompt.composeConfirm(question)
        }
        let plan = try await runner.run(.remove, options: options)
        if plan.containers.isEmpty && !global.dryRun { Console.error("No stopped containers\n") }
    }
}
