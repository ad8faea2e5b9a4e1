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

    /// `endpoint` is nil when the engine is not to be asked (`--no-engine`). An engine that is not on this host turns
    /// the host scan off: this host's `/proc` is not the engine's host.
    static func run(project: ComposeProject, options: PlanOptions = .now(), hostScan: Bool, endpoint: DockerEndpoint?) async -> PlanSession {
        var engine = EngineSnapshot.unreachable
        var notes: [String] = []
        if let endpoint {
            do {
                let client = try DockerClient(endpoint: endpoint)
                do {
                    engine = try await EngineSnapshotReader.read(client: client, project: project)
                } catch {
                    notes.append("no engine reachable at \(endpoint.spoken); engine checks skipped")
                }
                await client.shutdown()
            } catch {
                notes.append("\(error); engine checks skipped")
            }
        }
        let local = endpoint?.isLocal ?? true
        if !local, hostScan {
            notes.append("the host-port scan is off: the engine at \(endpoint!.spoken) is not on this host, whose /proc says nothing about it")
        }
        let host = HostSnapshotReader.read(scanSockets: hostScan, project: project, engineIsLocal: local)
        let plan = Planner.plan(project: project, options: options, engine: engine, host: host)
        return PlanSession(plan: plan, engineNote: notes.isEmpty ? nil : notes.joined(separator: "\nberth: note: "))
    }
}
