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
        /// `restart` without `--no-deps`: also the services depending on a named one with `restart: true`.
        public var dependents = false
        /// `kill --remove-orphans`: also the containers of services no longer in the files.
        public var orphans = false
        /// `start --wait`: wait until the started containers run and are healthy, for at most `waitTimeout` seconds.
        public var wait = false
        public var waitTimeout: Int?
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
        let plan = Planner.lifecycle(action, project: project, services: services, engine: engine, dependents: options.dependents, orphans: options.orphans)
        if let confirm = options.confirm, !plan.containers.isEmpty, await !confirm(plan.containers) { return plan }
        for step in plan.containers {
            guard let id = step.containerID else { continue }
            guard let service = project.service(named: step.service) else {
                // An orphan (kill --remove-orphans): no hooks, no grace period of its own.
                if action == .kill {
                    try await engineCall({ try await client.killContainer(id, signal: options.signal) },
                                         { .error("engine-error", "cannot kill '\(step.name)': \($0)", at: nil) })
                    progress(.container, step.name, .killed, options.signal)
                }
                continue
            }
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
        if options.wait, action == .start || action == .restart {
            try await waitUntilHealthy(plan.containers, timeout: options.waitTimeout)
        }
        return plan
    }

    /// `start --wait`: each started container running, and healthy when it has a health check.
    private func waitUntilHealthy(_ steps: [DeploymentPlan.ContainerStep], timeout: Int?) async throws(RuntimeError) {
        let client = client
        let failure = await WaitDeadline.run(seconds: timeout) {
            for step in steps {
                guard let id = step.containerID else { continue }
                if let failure = await StartCoordinator.waitRunning(id, client: client) {
                    return .error(failure.code, "container '\(step.name)' \(failure.problem)", at: nil, service: step.service)
                }
            }
            return nil
        }
        if let failure { throw RuntimeError([failure]) }
    }
}
