import ArgumentParser
import BerthDiagnostics
import BerthRuntime
import Foundation

/// The `up` plan carried out in the background, for `create` and `scale`: checked, planned and executed under the
/// project lock, its warnings and errors rendered at their lines.
struct StackRun {
    let global: GlobalOptions
    let flags: PlanFlags
    /// `--quiet-pull` leaves the pulls out of the global progress style.
    var filter = ProgressFilter()
    let check: Bool

    func run(start: Bool) async throws {
        let (project, loaded) = try ProjectSession.load(global, services: flags.services, quiet: false)
        let renderer = DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor)
        var options = Executor.UpOptions()
        options.plan = try flags.options(for: project, separator: global.nameSeparator)
        options.plan.check = check
        if global.dryRun { return try await DryRun.show(project, loaded, options: options.plan, global: global) }
        options.start = start
        let signals = InterruptSignals()
        options.shouldStop = { signals.count > 0 }
        options.onLockWait = { Console.lockWait(project.name) }
        let runOptions = options
        try await global.withEngine { client in
            let executor = global.executor(client, progress: filter.apply(global.progress.reporter()))
            do {
                let outcome = try await executor.up(project, options: runOptions)
                let warnings = outcome.plan.diagnostics.filter { $0.severity == .warning } + executor.engineWarnings.diagnostics
                if !warnings.isEmpty { Console.error(renderer.render(warnings)) }
                if outcome.interrupted { throw ExitCode(signals.exitCode) }
            } catch let error as RuntimeError {
                Console.error(renderer.render(error.diagnostics))
                if error.refused { Console.error("berth: nothing was created: the plan has \(error.diagnostics.count(of: .error)) error(s)\n") }
                throw ExitCode(1)
            }
        }
    }
}
