import ArgumentParser
import BerthDiagnostics
import BerthPlan
import BerthRuntime
import BerthSpec
import DockerEngine

/// `--dry-run`: a command that changes the stack prints its plan (the same text as `berth plan`) and does nothing; it
/// exits 0, as Compose does, unless the plan has errors, which the command would refuse (1). Reads run as they are;
/// the other commands that change something refuse the flag by name.
enum DryRun {
    /// Commands that change state and have no plan to show yet.
    static let unsupported: Set<String> = ["exec", "cp", "attach", "pull", "push", "build", "wait"]

    /// The plan of `up`, `create`, `scale` or `run`, as `berth plan` prints it.
    static func show(_ project: ComposeProject, _ loaded: LoadResult, options: PlanOptions, global: GlobalOptions) async throws {
        let session = await PlanSession.run(project: project, options: options, hostScan: true, endpoint: try global.endpoint())
        if let note = session.engineNote { Console.error("berth: note: \(note)\n") }
        try finish(session.plan, command: options.run == nil ? "up" : "run", sources: loaded.sources, global: global)
    }

    /// A lifecycle command's plan (which existing containers it acts on, in order).
    static func showLifecycle(_ action: DeploymentPlan.ContainerAction, project: ComposeProject, services: [String], global: GlobalOptions) async throws {
        let plan = try await global.withEngine { client in
            let engine = try await EngineSnapshotReader.read(client: client, project: project)
            return Planner.lifecycle(action, project: project, services: services, engine: engine)
        }
        try finish(plan, command: action == .remove ? "rm" : action.rawValue, sources: SourceCache(), global: global)
    }

    private static func finish(_ plan: DeploymentPlan, command: String, sources: SourceCache, global: GlobalOptions) throws {
        let shown = plan.diagnostics.filter { $0.severity != .note }
        if !shown.isEmpty { Console.error(DiagnosticRenderer(sources: sources, useColor: global.useColor).render(shown)) }
        Console.out(PlanCommand.text(plan, command: command))
        Console.error("berth: dry run: nothing was done\n")
        if plan.hasErrors { throw ExitCode(1) }
    }
}
