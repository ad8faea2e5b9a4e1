import BerthDiagnostics
import BerthGraph
import BerthPlan
import BerthSpec
import DockerEngine
import Foundation

/// Runs the loader, the graph and the planner's checks together, against the host and (when reachable) the engine.
struct PreflightSession {
    var project: ComposeProject
    var graph: ServiceGraph
    var report: PreflightChecker.Report
    var engine: EngineSnapshot
    var engineNote: String?

    /// Everything the user should see: graph problems and the checks, in file order.
    var diagnostics: [Diagnostic]

    static func run(project: ComposeProject, hostScan: Bool, useEngine: Bool) async -> PreflightSession {
        let (graph, graphDiagnostics) = ServiceGraph.build(project)
        var engine = EngineSnapshot.unreachable
        var note: String?
        if useEngine {
            let client = DockerClient()
            do {
                engine = try await EngineInspector.snapshot(client: client, project: project)
            } catch {
                note = "no engine reachable at \(client.socketPath); engine checks skipped"
            }
            await client.shutdown()
        }
        let scanner = HostPortScanner()
        let options = PreflightChecker.Options(
            hostSockets: hostScan ? scanner.listeningSockets() : nil,
            ephemeralRange: scanner.ephemeralRange(), engine: engine, hostRoutes: HostRoutes.read())
        let report = PreflightChecker(project: project, options: options).run()
        return PreflightSession(project: project, graph: graph, report: report, engine: engine, engineNote: note,
                                diagnostics: graphDiagnostics + report.diagnostics)
    }
}
