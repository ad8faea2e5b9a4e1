import BerthDiagnostics
import BerthPlan
import BerthSpec
import DockerEngine

/// Carries out a lifecycle plan (`Planner.lifecycle`): one container after another, in the plan's order, under the
/// project's lock. Stops run the service's `pre_stop` hooks first, starts its `post_start` hooks after.
extension Executor {
    public struct LifecycleOptions: Sendable {
        /// `-t`: seconds before a stop kills; the service's `stop_grace_period` when nil.
        public var timeout: Int?
        /// `kill -s`.
        public var signal: String?
        /// `rm -v`: remove the containers' anonymous volumes too.
        public var removeVolumes = false
        /// Asked with the plan's steps before anything is done (`rm` without `-f`); false leaves everything as it is.
        public var confirm: (@Sendable ([DeploymentPlan.ContainerStep]) async -> Bool)?
        public init() {}
    }

    public func lifecycle(_ action: DeploymentPlan.ContainerAction, project: ComposeProject, services: [String],
                          options: LifecycleOptions = LifecycleOptions()) async throws(RuntimeError) -> DeploymentPlan {
        let lock = try await self.lock(project.name)
        defer { lock.release() }
        let engine = try await engineCall({ try await EngineSnapshotReader.read(client: client, project: project) },
                                          { .error("engine-error", "cannot read the engine: \($0)", at: nil) })
        let plan = Planner.lifecycle(action, project: project, services: services, engine: engine)
        if let confirm = options.confirm, !plan.containers.isEmpty, await !confirm(plan.containers) { return plan }
        for step in plan.containers {
            guard let id = step.containerID, let service = project.service(named: step.service) else { continue }
            let timeout = options.timeout ?? service.stopGracePeriod.map { Int($0.components.seconds) }
            func fail(_ error: Error) -> Diagnostic {
                (error as? RuntimeError)?.diagnostics.first
                    ?? .error("engine-error", "cannot \(action.rawValue) '\(step.name)': \((error as? DockerError)?.message ?? "\(error)")", at: service.location, service: service.name)
            }
            do {
                switch action {
                case .stop:
                    progress(.container, step.name, .stopping)
                    try await stop(id, name: step.name, service: service, timeout: timeout)
                    progress(.container, step.name, .stopped)
                case .start:
                    progress(.container, step.name, .starting)
                    try await start(id, name: step.name, service: service)
                    progress(.container, step.name, .started)
                case .restart:
                    progress(.container, step.name, .restarting)
                    try await stop(id, name: step.name, service: service, timeout: timeout)
                    try await start(id, name: step.name, service: service)
                    progress(.container, step.name, .restarted)
                case .kill:
                    try await client.killContainer(id, signal: options.signal)
                    progress(.container, step.name, .killed, options.signal)
                case .pause:
                    try await client.pauseContainer(id)
                    progress(.container, step.name, .paused)
                case .unpause:
                    try await client.unpauseContainer(id)
                    progress(.container, step.name, .unpaused)
                case .remove:
                    progress(.container, step.name, .removing)
                    try await client.removeContainer(id, volumes: options.removeVolumes)
                    progress(.container, step.name, .removed)
                default:
                    continue
                }
            } catch {
                let diagnostic = fail(error)
                progress(.container, step.name, .failed, diagnostic.message)
                throw RuntimeError([diagnostic])
            }
        }
        return plan
    }
}
