import ArgumentParser
import BerthDiagnostics
import BerthGraph
import BerthPlan
import BerthReports
import BerthRuntime
import BerthSpec
import DockerEngine
import Foundation

struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "up", abstract: "Check the stack, then create and start it as 'berth plan' shows.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: PlanFlags
    @OptionGroup var report: ReportOptions
    @Flag(name: [.short, .customLong("detach")], help: "Run in the background.") var detach = false
    @Flag(help: "Wait until every service is running and healthy (implies --detach).") var wait = false
    @Flag(name: .customLong("no-check"), help: "Skip the pre-flight check.") var noCheck = false
    @Flag(help: "If up fails, remove what this run created.") var rollback = false
    var progress: ProgressStyle { global.progress }
    @Flag(name: .customLong("abort-on-container-exit"), help: "Stop every container when one exits.") var abortOnExit = false
    @Flag(name: .customLong("abort-on-container-failure"), help: "Stop every container when one exits with a non-zero code.") var abortOnFailure = false
    @Option(name: .customLong("exit-code-from"), help: "Exit with this service's exit code (implies --abort-on-container-exit).") var exitCodeFrom: String?
    @Flag(name: .customLong("no-start"), help: "Create the containers without starting them.") var noStart = false
    @Option(name: .customLong("attach"), help: "Follow only these services' output (repeatable).") var attach: [String] = []
    @Option(name: .customLong("no-attach"), help: "Do not follow these services' output (repeatable).") var noAttach: [String] = []
    @Flag(name: .customLong("attach-dependencies"), help: "Follow the dependencies' output too.") var attachDependencies = false
    @Option(name: .customLong("wait-timeout"), help: "Seconds --wait waits at most.") var waitTimeout: Int?
    @Option(name: [.short, .customLong("timeout")], help: "Seconds a replaced or stopped container gets before it is killed.") var timeout: Int?
    @Flag(help: "Show timestamps in the followed output.") var timestamps = false
    @Flag(name: .customLong("no-log-prefix"), help: "Do not prefix the followed output with the container's name.") var noLogPrefix = false
    @Flag(name: .customLong("quiet-pull"), help: "Show no pull progress.") var quietPull = false
    @Flag(name: .customLong("quiet-build"), help: "Show no build progress.") var quietBuild = false
    @Flag(name: [.customShort("w"), .customLong("watch")], help: "Refused: berth has no 'watch' yet.") var watch = false

    func validate() throws {
        if watch { throw ValidationError("berth does not support 'watch' yet (up --watch)") }
        if let waitTimeout, waitTimeout < 0 { throw ValidationError("--wait-timeout must be a non-negative integer") }
        if !attach.isEmpty && attachDependencies { throw ValidationError("cannot combine --attach and --attach-dependencies") }
        if wait && (!attach.isEmpty || attachDependencies) {
            throw ValidationError("--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies")
        }
        if detach && (!attach.isEmpty || attachDependencies) {
            throw ValidationError("--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, --attach-dependencies or --watch")
        }
        if abortOnExit && abortOnFailure { throw ValidationError("--abort-on-container-failure cannot be combined with --abort-on-container-exit") }
        if (detach || wait) && (abortOnExit || abortOnFailure || exitCodeFrom != nil) {
            throw ValidationError("--\(wait ? "wait" : "detach") cannot be combined with --abort-on-container-exit, --abort-on-container-failure or --exit-code-from")
        }
    }

    func run() async throws {
        let since = Int(Date().timeIntervalSince1970) - 1
        let (project, loaded) = try ProjectSession.load(global, services: flags.services, quiet: false)
        for name in [exitCodeFrom].compactMap({ $0 }) + attach + noAttach where project.service(named: name) == nil {
            Console.error("berth: no such service: \(name)\n")
            throw ExitCode(1)
        }
        let renderer = DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor)
        var options = Executor.UpOptions()
        options.plan = try flags.options(for: project, separator: global.nameSeparator)
        options.plan.check = !noCheck
        if global.dryRun { return try await DryRun.show(project, loaded, options: options.plan, global: global) }
        options.wait = wait
        options.waitTimeout = waitTimeout
        options.stopTimeout = timeout
        options.start = !noStart
        options.rollback = rollback
        let signals = InterruptSignals()
        options.shouldStop = { signals.count > 0 }
        options.onLockWait = { Console.lockWait(project.name) }
        options.confirmVolumeRecreation = { problems in
            guard isatty(STDIN_FILENO) == 1, isatty(STDERR_FILENO) == 1 else { return false }
            Console.error(renderer.render(problems))
            return Prompt.confirm("Recreate \(problems.count == 1 ? "this volume" : "these volumes") (the data will be lost)?")
        }
        let client = try global.engineClient()
        let executor = global.executor(client, progress: ProgressFilter(quietPull: quietPull, quietBuild: quietBuild).apply(progress.reporter()))
        // The first interrupt stops creating at the next step; a second one, during a long pull, build or health
        // wait, ends the process at once. Everything made so far carries the project's labels, so the next plan
        // picks it up.
        let outcome: Executor.UpReport
        let runOptions = options
        do {
            outcome = try await withThrowingTaskGroup(of: Executor.UpReport?.self) { group in
                group.addTask { try await executor.up(project, options: runOptions) }
                group.addTask {
                    guard await signals.wait(forSignal: 2) else { return nil }
                    Console.error("berth: interrupted again: stopped at once; 'berth plan' shows what is left and 'berth up' finishes it\n")
                    Foundation.exit(signals.exitCode)
                }
                while let next = try await group.next() {
                    if let next {
                        group.cancelAll()
                        return next
                    }
                }
                throw CancellationError()
            }
        } catch let error as RuntimeError {
            Console.error(renderer.render(error.diagnostics))
            try? report.writeSARIF(DiagnosticReport(loaded, project: project.name, diagnostics: loaded.diagnostics + error.diagnostics))
            if error.refused {
                Console.error("berth: nothing was created: the plan has \(error.diagnostics.count(of: .error)) error(s)\(noCheck ? "" : " (use --no-check to skip the pre-flight check)")\n")
            }
            await client.shutdown()
            throw ExitCode(1)
        }
        let warnings = outcome.plan.diagnostics.filter { $0.severity == .warning } + executor.engineWarnings.diagnostics
        if !warnings.isEmpty { Console.error(renderer.render(warnings)) }
        try report.writeSARIF(DiagnosticReport(loaded, project: project.name, diagnostics: loaded.diagnostics + outcome.plan.diagnostics + executor.engineWarnings.diagnostics))
        if outcome.interrupted {
            Console.error("berth: interrupted: \(outcome.done) container step(s) done, \(outcome.remaining) not done; 'berth plan' shows what is left and 'berth up' finishes it\n")
            await client.shutdown()
            throw ExitCode(signals.exitCode)
        }
        if !detach && !wait && !noStart {
            let attached = attachedServices(project)
            let abort: ExitMonitor.Abort? = abortOnFailure ? .failure : abortOnExit || exitCodeFrom != nil ? .anyExit : nil
            let monitor = ExitMonitor(client: client, project: project.name, since: since, abort: abort, exitCodeFrom: exitCodeFrom, signals: signals)
            let listening = Task { await monitor.listen() }
            let standing = (try? await client.listContainers(all: true, filters: ["label": ComposeLabels.madeFor(project.name)])) ?? []
            await monitor.watch(standing.filter { attached.contains($0.labels[ComposeLabels.service] ?? "") && $0.labels[ComposeLabels.oneoff] != "True" }
                .map { ($0.id, $0.name, $0.labels[ComposeLabels.service] ?? "") })
            var follower = LogFollower(client: client, project: project.name, services: attached, followsNone: attached.isEmpty, useColor: global.useColor)
            follower.prefixed = !noLogPrefix
            var logOptions = LogOptions(tail: "all", follow: true)
            logOptions.timestamps = timestamps
            await follower.follow(logOptions, until: signals)
            if signals.count == 0 { await monitor.reconcile() }
            if await monitor.aborted {
                Console.error("Aborting on container exit...\n")
            } else {
                Console.error("Gracefully stopping... (press Ctrl+C again to force)\n")
            }
            let timeouts = Dictionary(uniqueKeysWithValues: project.services.map { ($0.name, timeout ?? Int($0.stopGracePeriod?.components.seconds ?? 10)) })
            await StopOnInterrupt.stopProject(client: client, project: project.name, timeouts: timeouts, signals: signals,
                                              progress: progress.reporter())
            listening.cancel()
            if let code = await monitor.exitCode() {
                await client.shutdown()
                if code != 0 { throw ExitCode(Int32(truncatingIfNeeded: code)) }
                return
            }
            // Stopped by Ctrl-C (or SIGTERM): 130 (143), as Compose exits.
            if let signal = signals.first, signal == SIGINT || signal == SIGTERM {
                await client.shutdown()
                throw ExitCode(signal == SIGTERM ? 143 : 130)
            }
        }
        await client.shutdown()
    }

    /// The services whose output attached `up` follows, as Compose picks them: `--attach`, or the named services, or
    /// every service but those with `attach: false`; with their dependencies for `--attach-dependencies`; without
    /// `--no-attach`.
    func attachedServices(_ project: ComposeProject) -> [String] {
        var attached = !attach.isEmpty ? attach : flags.services.isEmpty ? project.services.filter(\.attach).map(\.name) : flags.services
        if attachDependencies {
            let (graph, _) = ServiceGraph.build(project)
            var queue = attached
            while let next = queue.popLast() {
                for edge in graph.dependencies(of: next) where !attached.contains(edge.to) {
                    attached.append(edge.to)
                    queue.append(edge.to)
                }
            }
        }
        return attached.filter { !noAttach.contains($0) }
    }
}

struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "down", abstract: "Stop and remove the project's containers and networks.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: [.short, .customLong("volumes")], help: "Also remove named volumes.") var volumes = false
    /// Accepted for Compose compatibility: down removes every container labelled with the project, orphans included.
    @Flag(name: .customLong("remove-orphans"), help: "Also remove containers of services not in the files (always done).") var removeOrphans = false
    @Option(name: [.short, .customLong("timeout")], help: "Seconds to wait for each container to stop.") var timeout: Int?
    @Option(help: "Also remove images: local (built for the project) or all.") var rmi: Executor.DownOptions.RemoveImages?
    var progress: ProgressStyle { global.progress }

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
        if global.dryRun { return try await dryRun(name) }
        var timeouts: [String: Int] = [:]
        for service in loaded.project?.services ?? [] { timeouts[service.name] = service.stopGracePeriod.map { Int($0.components.seconds) } }
        let client = try global.engineClient()
        var options = Executor.DownOptions()
        options.removeVolumes = volumes
        options.timeout = timeout
        options.removeImages = rmi
        do {
            let services = Dictionary(uniqueKeysWithValues: (loaded.project?.services ?? []).map { ($0.name, $0) })
            try await global.executor(client).down(projectName: name, stopTimeouts: timeouts, services: services, options: options) {
                Console.lockWait(name)
            }
        } catch {
            Console.error(DiagnosticRenderer(sources: SourceCache()).render(error.diagnostics))
            await client.shutdown()
            throw ExitCode(1)
        }
        await client.shutdown()
    }

    /// What `down` would remove, found by label as `down` finds it.
    private func dryRun(_ name: String) async throws {
        let filter = ["label": ["\(ComposeLabels.project)=\(name)"]]
        try await global.withEngine { client in
            var out = ""
            for container in try await client.listContainers(all: true, filters: ["label": ComposeLabels.madeFor(name)])
                .sorted(by: { $0.name < $1.name }) {
                out += "- container \(container.name) (\(container.state == "running" ? "stop and remove" : "remove"))\n"
            }
            for network in try await client.listNetworks(filters: filter).sorted(by: { $0.name < $1.name }) { out += "- network \(network.name) (remove)\n" }
            if volumes {
                for volume in try await client.listVolumes(filters: filter).sorted(by: { $0.name < $1.name }) { out += "- volume \(volume.name) (remove)\n" }
            }
            Console.out(out.isEmpty ? "nothing to remove\n" : out)
            Console.error("berth: dry run: nothing was done\n")
        }
    }
}

extension Executor.DownOptions.RemoveImages: ExpressibleByArgument {}
