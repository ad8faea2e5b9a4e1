import ArgumentParser
import BerthDiagnostics
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

    func validate() throws {
        if abortOnExit && abortOnFailure { throw ValidationError("--abort-on-container-failure cannot be combined with --abort-on-container-exit") }
        if (detach || wait) && (abortOnExit || abortOnFailure || exitCodeFrom != nil) {
            throw ValidationError("--\(wait ? "wait" : "detach") cannot be combined with --abort-on-container-exit, --abort-on-container-failure or --exit-code-from")
        }
    }

    func run() async throws {
        let since = Int(Date().timeIntervalSince1970) - 1
        let (project, loaded) = try ProjectSession.load(global, services: flags.services, quiet: false)
        if let exitCodeFrom, project.service(named: exitCodeFrom) == nil {
            Console.error("berth: no such service: \(exitCodeFrom)\n")
            throw ExitCode(1)
        }
        let renderer = DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor)
        var options = Executor.UpOptions()
        options.plan = try flags.options(for: project, compatibility: global.compatibility)
        options.plan.check = !noCheck
        if global.dryRun { return try await DryRun.show(project, loaded, options: options.plan, global: global) }
        options.wait = wait
        options.start = !noStart
        options.rollback = rollback
        let signals = InterruptSignals()
        options.shouldStop = { signals.count > 0 }
        options.onLockWait = { Console.error("berth: another berth command is changing project '\(project.name)'; waiting for it to finish\n") }
        options.confirmVolumeRecreation = { problems in
            guard isatty(STDIN_FILENO) == 1, isatty(STDERR_FILENO) == 1 else { return false }
            Console.error(renderer.render(problems))
            return Prompt.confirm("Recreate \(problems.count == 1 ? "this volume" : "these volumes") (the data will be lost)?")
        }
        let client = try global.engineClient()
        let executor = global.executor(client)
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
                    Foundation.exit(signals.first == SIGTERM ? 143 : 130)
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
            throw ExitCode(signals.first == SIGTERM ? 143 : 130)
        }
        if !detach && !wait && !noStart {
            // Named services, or else every service but those with `attach: false` (as in Compose).
            let attached = flags.services.isEmpty ? project.services.filter(\.attach).map(\.name) : flags.services
            let abort: ExitMonitor.Abort? = abortOnFailure ? .failure : abortOnExit || exitCodeFrom != nil ? .anyExit : nil
            let monitor = ExitMonitor(client: client, project: project.name, since: since, abort: abort, exitCodeFrom: exitCodeFrom, signals: signals)
            let listening = Task { await monitor.listen() }
            let standing = (try? await client.listContainers(all: true, filters: ["label": ["\(ComposeLabels.project)=\(project.name)"]])) ?? []
            await monitor.watch(standing.filter { attached.contains($0.labels[ComposeLabels.service] ?? "") && $0.labels[ComposeLabels.oneoff] != "True" }
                .map { ($0.id, $0.name, $0.labels[ComposeLabels.service] ?? "") })
            await LogFollower(client: client, project: project.name, services: attached, followsNone: attached.isEmpty, useColor: global.useColor)
                .follow(tail: "all", until: signals)
            if signals.count == 0 { await monitor.reconcile() }
            if await monitor.aborted {
                Console.error("Aborting on container exit...\n")
            } else {
                Console.error("Gracefully stopping... (press Ctrl+C again to force)\n")
            }
            let timeouts = Dictionary(uniqueKeysWithValues: project.services.map { ($0.name, Int($0.stopGracePeriod?.components.seconds ?? 10)) })
            await StopOnInterrupt.stopProject(client: client, project: project.name, timeouts: timeouts, signals: signals,
                                              progress: progress.reporter())
            listening.cancel()
            if let code = await monitor.exitCode() {
                await client.shutdown()
                if code != 0 { throw ExitCode(Int32(truncatingIfNeeded: code)) }
                return
            }
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
        do {
            let services = Dictionary(uniqueKeysWithValues: (loaded.project?.services ?? []).map { ($0.name, $0) })
            try await Executor(client: client, progress: progress.reporter()).down(projectName: name, stopTimeouts: timeouts, services: services, options: options) {
                Console.error("berth: another berth command is changing project '\(name)'; waiting for it to finish\n")
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
            for container in try await client.listContainers(all: true, filters: filter).sorted(by: { $0.name < $1.name }) {
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
