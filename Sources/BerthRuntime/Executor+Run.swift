import BerthDiagnostics
import BerthPlan
import BerthSpec
import DockerEngine

/// `run`: the dependencies brought up as `up` brings them, then the one-off container created, all from one plan.
extension Executor {
    /// The one-off container a run created, and the plan it carried out.
    public struct RunReport: Sendable {
        public var plan: DeploymentPlan
        public var containerID: String
        public var name: String
        /// The service as the one-off container runs it (the command line's changes applied).
        public var service: Service
    }

    /// Under the project lock: plans (`options.plan.run` names the one-off container), refuses a plan with errors,
    /// brings the dependencies up to their conditions, and creates the one-off container. The caller attaches to it
    /// and starts it (`startOneOff`).
    public func prepareRun(_ project: ComposeProject, options: UpOptions) async throws(RuntimeError) -> RunReport {
        guard let run = options.plan.run, let original = project.service(named: run.service) else {
            throw RuntimeError("unknown-service", "no service to run", at: nil)
        }
        let lock = try await self.lock(project.name, onWait: options.onLockWait)
        defer { lock.release() }
        let plan = try await self.plan(project, options: options.plan, hostScan: options.hostScan)
        if plan.hasErrors { throw RuntimeError(plan.diagnostics.filter { $0.severity == .error }, refused: true) }
        var created = CreatedResources()
        let report = try await apply(plan, project: project, options: options, created: &created)
        guard let step = report.plan.oneOff else { throw RuntimeError("engine-error", "the plan has no one-off container", at: nil) }
        let service = run.apply(to: original)
        let image = Planner.imageReference(project: project, service: original)
        do {
            let apiVersion = try? await client.negotiate().version
            var parents: [String: String] = [:]
            if case .service(let parent) = service.networkMode {
                let filter = ["label": ComposeLabels.madeFor(project.name) + ["\(ComposeLabels.service)=\(parent)"]]
                parents[parent] = try await client.listContainers(all: false, filters: filter).first?.id
            }
            let body = ContainerSpec.body(project: project, service: service, number: 0, imageReference: image, imageID: report.plan.imageIDs[image],
                                          apiVersion: apiVersion, oneOff: run) { parents[$0] }
            progress(.container, step.name, .creating)
            let answer = try await client.createContainer(name: step.name, body: body, platform: service.platform)
            engineWarnings.add(answer.warnings, service: service)
            try await finishCreated(answer.id, service: service, project: project, apiVersion: apiVersion, aliases: run.useAliases)
            progress(.container, step.name, .created)
            return RunReport(plan: report.plan, containerID: answer.id, name: step.name, service: service)
        } catch {
            throw RuntimeError([EngineErrorTranslator.translate(error, service: service, project: project, action: "creating")])
        }
    }

    /// Starts a one-off container, with the service's `post_start` hooks.
    public func startOneOff(_ report: RunReport) async throws {
        try await start(report.containerID, name: report.name, service: report.service)
    }

    /// The service's `post_start` hooks in a one-off container that was started while attached.
    public func postStart(_ report: RunReport) async throws {
        try await runHooks(report.service.postStart, kind: "post_start", container: report.containerID, name: report.name, service: report.service)
    }
}
