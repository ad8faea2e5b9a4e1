import BerthDiagnostics
import BerthSpec

/// What a command will do to the engine, decided once by `Planner.plan` and carried out step by step by the runtime.
/// `berth plan` prints it; `up` executes it.
public struct DeploymentPlan: Sendable {
    /// The action on one container. The set is open: commands that go through the plan add theirs.
    public enum ContainerAction: String, Sendable, Hashable, CaseIterable {
        case create, recreate, keep, start
        /// Kept, but restarted because a dependency with `restart: true` is recreated.
        case restart
        /// Removed: an orphan with `--remove-orphans`, or a replica beyond the scale.
        case remove
        /// A container of a service that is no longer in the files, left alone.
        case orphan
        case stop, kill, pause, unpause
        /// The one-off container of `run`, created once the service's dependencies meet their conditions.
        case run
    }

    public struct ContainerStep: Sendable, Hashable {
        public var service: String
        public var name: String
        /// The replica number (`com.docker.compose.container-number`).
        public var number: Int
        public var action: ContainerAction
        /// Why a container is recreated: the fields of the service that changed, or `image`, `networks`,
        /// `network_mode`, `volumes_from`, `volume:<name>`, `forced`.
        public var changed: [String]
        /// The existing container, for every action but `create`.
        public var containerID: String?
        /// Anonymous volumes the replacement takes over from the container it replaces.
        public var inheritedVolumes: [EngineSnapshot.VolumeMount]
        /// For a create or recreate: the host port picked for each published range onto one container port (see
        /// `PortAssigner`).
        public var pickedPorts: [PickedPort] = []

        /// The host port picked for a range of a service's `ports` entry (`entry` is its index).
        public struct PickedPort: Sendable, Hashable {
            public var entry: Int
            public var range: String
            public var target: String
            public var port: Int
        }

        /// The picked ports by entry.
        public var hostPorts: [Int: Int] { Dictionary(uniqueKeysWithValues: pickedPorts.map { ($0.entry, $0.port) }) }

        public init(service: String, name: String, number: Int, action: ContainerAction, changed: [String] = [],
                    containerID: String? = nil, inheritedVolumes: [EngineSnapshot.VolumeMount] = []) {
            self.service = service
            self.name = name
            self.number = number
            self.action = action
            self.changed = changed
            self.containerID = containerID
            self.inheritedVolumes = inheritedVolumes
        }
    }

    public enum ResourceAction: String, Sendable, Hashable {
        case create, recreate
    }

    public struct NetworkStep: Sendable, Hashable {
        /// The key in the file.
        public var key: String
        /// The engine-side name.
        public var name: String
        public var action: ResourceAction
        /// For `recreate`: the fields that differ from what the network was made with.
        public var changed: [String]
        /// For `recreate`: the existing network and the containers attached to it, disconnected first.
        public var existingID: String?
        public var attached: [String]
    }

    public struct VolumeStep: Sendable, Hashable {
        public var key: String
        public var name: String
        public var action: ResourceAction
        public var changed: [String]
        /// For `recreate`: containers that mount it, removed before it (they are recreated after).
        public var users: [String]
    }

    public enum ImageAction: String, Sendable, Hashable {
        case pull, build
    }

    public struct ImageStep: Sendable, Hashable {
        public var service: String
        public var reference: String
        public var action: ImageAction
        /// `missing`, `pull_policy: always`, `--build`, ...
        public var reason: String
    }

    /// Something a service waits for before its containers start.
    public struct Wait: Sendable, Hashable {
        public var service: String
        public var condition: DependencyCondition
        /// Where the dependency is declared.
        public var location: SourceLocation
    }

    public var project: String
    /// The services the plan covers (those asked for, with their dependencies unless `--no-deps`), in file order.
    public var services: [String]
    public var networks: [NetworkStep]
    public var volumes: [VolumeStep]
    public var images: [ImageStep]
    public var containers: [ContainerStep]
    /// Services grouped by start level: each level starts once the previous one meets its conditions.
    public var startOrder: [[String]]
    /// The ID behind each image reference the plan's containers use, as the engine has it: recorded on created
    /// containers (`com.docker.compose.image`), so that a changed image behind the same tag recreates them.
    public var imageIDs: [String: String]
    /// Running containers of services outside the plan that services in it join (`network_mode: service:X` with
    /// `--no-deps`), by service.
    public var outsideParents: [String: String]
    /// What each service waits for (dependencies outside the plan are not waited for).
    public var waits: [String: [Wait]]
    /// The pre-flight checks and what planning found (orphans, diverged networks and volumes), in file order.
    public var diagnostics: [Diagnostic]
    /// Every host port claim of the project, as the checks saw them.
    public var claims: [PortClaim]
    /// False when no engine could be reached and the plan assumes an empty one.
    public var engineReachable: Bool

    public var hasErrors: Bool { diagnostics.hasErrors }

    public var hasChanges: Bool {
        !networks.isEmpty || !volumes.isEmpty || !images.isEmpty
            || containers.contains { $0.action != .keep && $0.action != .orphan }
    }

    /// The steps that bring a service's replicas up (not orphans, removals or a one-off container).
    public func steps(of service: String) -> [ContainerStep] {
        containers.filter { $0.service == service && $0.action != .orphan && $0.action != .remove && $0.action != .run }
    }

    /// The one-off container step of a `run` plan.
    public var oneOff: ContainerStep? { containers.first { $0.action == .run } }
}
