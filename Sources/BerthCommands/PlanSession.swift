import BerthDiagnostics
import BerthPlan
import BerthRuntime
import BerthSpec
import DockerEngine

/// Reads the engine (when asked and reachable) and the host, and plans: what `check`, `ports` and `plan` show.
struct PlanSession {
    var plan: DeploymentPlan
    /// Set when the engine was asked for but did not answer.
    var engineNote: String?

    static func run(project: ComposeProject, options: PlanOptions = PlanOptions(), hostScan: Bool, useEngine: Bool) async -> PlanSession {
        var engine = EngineSnapshot.unreachable
        var note: String?
        if useEngine {
            let client = DockerClient()
            do {
                engine = try await EngineSnapshotReader.read(client: client, project: project)
            } catch {
                note = "no engine reachable at \(client.socketPath); engine checks skipped"
            }
            await client.shutdown()
        }
        let plan = Planner.plan(project: project, options: options, engine: engine, host: HostSnapshotReader.read(scanSockets: hostScan, project: project))
        return PlanSession(plan: plan, engineNote: note)
    }
}
