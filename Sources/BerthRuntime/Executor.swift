import BerthDiagnostics
import BerthPlan
import BerthSpec
import DockerEngine
import Foundation

/// Carries out a plan on a real engine. It decides nothing about *what* to do (that is `Planner.plan`), only *how*:
/// the order, what runs in parallel, the waits for conditions, and the progress it reports.
public struct Executor: Sendable {
    public struct UpOptions: Sendable {
        public var plan = PlanOptions()
        /// Wait until every service is running and healthy (`--wait`).
        public var wait = false
        /// Start the containers; false only creates them (`create`, `up --no-start`).
        public var start = true
        /// `--wait-timeout`: how long `--wait` waits, in seconds (no limit when nil).
        public var waitTimeout: Int?
        /// `-t`: seconds a container being replaced gets to stop (its `stop_grace_period` when nil).
        public var stopTimeout: Int?
        /// Remove what this run created when it fails (`--rollback`).
        public var rollback = false
        /// Scan the host for sockets that hold the project's ports.
        public var hostScan = true
        /// Asked when the plan would only go ahead by recreating volumes (losing their data); true goes ahead.
        public var confirmVolumeRecreation: (@Sendable ([Diagnostic]) async -> Bool)?
        /// Polled between steps: true once the run should stop creating (an interrupt).
        public var shouldStop: @Sendable () -> Bool = { false }
        /// Called once another run holds the project lock and this one waits for it.
        public var onLockWait: @Sendable () -> Void = {}

        public init() {}
    }

    /// What an `up` did: the plan it executed, and whether it stopped early because it was asked to.
    public struct UpReport: Sendable {
        public var plan: DeploymentPlan
        public var interrupted: Bool
        /// Container steps carried out, and those left undone by an interrupt.
        public var done: Int
        public var remaining: Int
    }

    public struct DownOptions: Sendable {
        public var removeVolumes = false
        public var timeout: Int?
        /// `--rmi`: the images to remove after the containers.
        public var removeImages: RemoveImages?

        public enum RemoveImages: String, Sendable, CaseIterable {
            /// Images built for the project (Compose's labels), and `<project>-<service>` of services without `image`.
            case local
            /// Those, and every service's `image`.
            case all
        }

        public init() {}
    }

    public let client: DockerClient
    public let progress: ProgressReporter
    /// The docker client's configuration directory (`--config`, `DOCKER_CONFIG`, `~/.docker`): where registry
    /// credentials come from when an image is pulled.
    public let configDirectory: String
    /// How many container steps run at once across services (`--parallel`); no limit by default.
    public var parallel = ConcurrencyLimit(nil)
    /// What the engine warned about while creating containers, at the keys' lines.
    public let engineWarnings = EngineWarnings()
    static let removalConcurrency = 4

    public init(client: DockerClient, progress: ProgressReporter = .silent, configDirectory: String? = nil) {
        self.client = client
        self.progress = progress
        self.configDirectory = configDirectory ?? DockerConfigFile.directory(flag: nil, environment: ProcessInfo.processInfo.environment)
    }


    func engineCall<T>(_ body: () async throws -> T, _ diagnostic: @autoclosure () -> (Error) -> Diagnostic) async throws(RuntimeError) -> T {
        do { return try await body() } catch { throw RuntimeError([diagnostic()(error)]) }
    }

    /// Reads the engine and the host, and plans (the caller holds the project lock when it then executes the plan).
    public func plan(_ project: ComposeProject, options: PlanOptions, hostScan: Bool) async throws(RuntimeError) -> DeploymentPlan {
        let engine = try await engineCall({ try await EngineSnapshotReader.read(client: client, project: project) },
                                          { .error("engine-error", "cannot read the engine: \($0)", at: nil) })
        return Planner.plan(project: project, options: options, engine: engine, host: HostSnapshotReader.read(scanSockets: hostScan, project: project,
                                                                                                        engineIsLocal: client.endpoint.isLocal))
    }

    /// Takes the project's lock on this engine: every command that creates, starts, stops or removes holds it while it
    /// does.
    public func lock(_ project: String, onWait: @Sendable () -> Void = {}) async throws(RuntimeError) -> ProjectLock {
        let engineID = try await engineCall({ try await EngineIdentity.resolve(client: client).id }, { .error("engine-error", "cannot reach the engine: \($0)", at: nil) })
        do {
            return try await ProjectLock.acquire(engineID: engineID, project: project, onWait: onWait)
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw RuntimeError("lock-failed", "cannot take the project lock: \(error)", at: nil)
        }
    }

    /// Takes the project's lock, plans, and executes the plan. A plan with errors is refused before anything is done
    /// (`RuntimeError.refused`); warnings are in the returned report's plan.
    @discardableResult
    public func up(_ project: ComposeProject, options: UpOptions = UpOptions()) async throws(RuntimeError) -> UpReport {
        let lock = try await self.lock(project.name, onWait: options.onLockWait)
        defer { lock.release() }
        var plan = try await self.plan(project, options: options.plan, hostScan: options.hostScan)
        if plan.hasErrors {
            let errors = plan.diagnostics.filter { $0.severity == .error }
            if errors.allSatisfy({ $0.code == "volume-changed" }), let confirm = options.confirmVolumeRecreation, await confirm(errors) {
                var confirmed = options.plan
                confirmed.recreateChangedVolumes = true
                plan = try await self.plan(project, options: confirmed, hostScan: options.hostScan)
            }
            if plan.hasErrors { throw RuntimeError(plan.diagnostics.filter { $0.severity == .error }, refused: true) }
        }
        var created = CreatedResources()
        do {
            return try await apply(plan, project: project, options: options, created: &created)
        } catch {
            if options.rollback { await rollback(created) }
            throw error
        }
    }

    struct CreatedResources: Sendable {
        var containers: [String] = []
        var networks: [String] = []
        var volumes: [String] = []
    }

    /// Executes a plan: removals, networks, volumes, images, then containers in dependency order.
    func apply(_ first: DeploymentPlan, project: ComposeProject, options: UpOptions, created: inout CreatedResources) async throws(RuntimeError) -> UpReport {
        var plan = first
        let total = plan.containers.count
        if options.shouldStop() { return UpReport(plan: plan, interrupted: true, done: 0, remaining: total) }
        try await removeContainers(plan.containers.filter { $0.action == .remove },
                                   services: Dictionary(uniqueKeysWithValues: project.services.map { ($0.name, $0) }))
        try await applyNetworks(plan, project: project, created: &created)
        try await applyVolumes(plan, project: project, created: &created)
        if !plan.images.isEmpty {
            try await applyImages(plan, project: project)
            // A pulled or built image may have a new ID behind the same tag: the containers are planned again,
            // by the same planner, against the images as they are now.
            var again = options.plan
            again.check = false
            let replanned = try await self.plan(project, options: again, hostScan: false)
            plan.containers = replanned.containers
            plan.imageIDs = replanned.imageIDs
        }
        if options.shouldStop() { return UpReport(plan: plan, interrupted: true, done: 0, remaining: total) }
        return try await startAll(plan, project: project, options: options, created: &created)
    }

    private func rollback(_ created: CreatedResources) async {
        for id in created.containers { try? await client.removeContainer(id, force: true) }
        for network in created.networks { try? await client.removeNetwork(network) }
        for volume in created.volumes { try? await client.removeVolume(volume) }
        progress(.message(.note, "Rolled back: removed \(created.containers.count) container(s), \(created.networks.count) network(s), \(created.volumes.count) volume(s) created by this run"))
    }
}
