/// What the stack checker knows about a swarm, read once from a manager before a deploy: the nodes as the scheduler
/// sees them, the tasks that hold host ports and reservations on them, and the ingress ports services publish.
public struct ClusterSnapshot: Sendable {
    public struct Node: Sendable, Hashable {
        public var id: String
        public var hostname: String
        /// `manager` or `worker`.
        public var role: String
        /// `active`, `pause` or `drain`.
        public var availability: String
        /// `ready`, `down`, `unknown` or `disconnected`.
        public var state: String
        public var address: String
        public var labels: [String: String]
        public var engineLabels: [String: String]
        public var os: String
        public var architecture: String
        public var nanoCPUs: Int64
        public var memoryBytes: Int64
        /// Discrete generic resources the engine advertises (`node-generic-resources`), by kind.
        public var generic: [String: Int64]

        public init(id: String, hostname: String, role: String = "worker", availability: String = "active", state: String = "ready",
                    address: String = "", labels: [String: String] = [:], engineLabels: [String: String] = [:], os: String = "linux",
                    architecture: String = "x86_64", nanoCPUs: Int64 = 0, memoryBytes: Int64 = 0, generic: [String: Int64] = [:]) {
            self.id = id
            self.hostname = hostname
            self.role = role
            self.availability = availability
            self.state = state
            self.address = address
            self.labels = labels
            self.engineLabels = engineLabels
            self.os = os
            self.architecture = architecture
            self.nanoCPUs = nanoCPUs
            self.memoryBytes = memoryBytes
            self.generic = generic
        }
    }

    /// A host-mode port (`PublishedPort` and protocol).
    public struct HostPort: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var port: Int
        public var proto: String

        public init(_ port: Int, _ proto: String = "tcp") {
            self.port = port
            self.proto = proto
        }

        public var description: String { "\(port)/\(proto)" }
        public static func < (a: HostPort, b: HostPort) -> Bool { (a.port, a.proto) < (b.port, b.proto) }
    }

    /// A task the scheduler counts against its node: assigned up to running, whatever its desired state.
    public struct Task: Sendable, Hashable {
        /// The service's name (`<stack>_<service>`), and the task's as `docker service ps` shows it (`web.1`).
        public var service: String
        public var name: String
        /// The stack (`com.docker.stack.namespace`), when a stack made the service.
        public var stack: String?
        public var nodeID: String
        public var hostPorts: [HostPort]
        public var nanoCPUs: Int64
        public var memoryBytes: Int64
        public var generic: [String: Int64]

        public init(service: String, name: String, stack: String? = nil, nodeID: String, hostPorts: [HostPort] = [], nanoCPUs: Int64 = 0,
                    memoryBytes: Int64 = 0, generic: [String: Int64] = [:]) {
            self.service = service
            self.name = name
            self.stack = stack
            self.nodeID = nodeID
            self.hostPorts = hostPorts
            self.nanoCPUs = nanoCPUs
            self.memoryBytes = memoryBytes
            self.generic = generic
        }
    }

    /// A port a service publishes, as its endpoint says: an ingress port is the routing mesh's on every node, and swarm
    /// refuses a service that publishes a port another one uses in the other mode.
    public struct PublishedPort: Sendable, Hashable {
        public var service: String
        public var stack: String?
        public var port: HostPort
        /// Ingress mode (else host mode).
        public var ingress: Bool

        public init(service: String, stack: String?, port: HostPort, ingress: Bool = true) {
            self.service = service
            self.stack = stack
            self.port = port
            self.ingress = ingress
        }
    }

    /// A host port held on a node by something that is not a swarm task (a plain container), which only that node's
    /// own engine shows (`--node-endpoints`): the scheduler does not know it, so a task sent there fails to start.
    public struct OutsideClaim: Sendable, Hashable {
        public var nodeID: String
        public var port: HostPort
        /// `container 'name'`.
        public var holder: String

        public init(nodeID: String, port: HostPort, holder: String) {
            self.nodeID = nodeID
            self.port = port
            self.holder = holder
        }
    }

    public var nodes: [Node]
    public var tasks: [Task]
    /// Claims outside swarm, from the nodes' own engines (empty unless they were asked).
    public var outside: [OutsideClaim] = []
    /// Every service's published ports (not 0), both modes.
    public var published: [PublishedPort]
    /// The manager's API version (nil: unknown, taken as new enough).
    public var apiVersion: String?

    public init(nodes: [Node], tasks: [Task] = [], published: [PublishedPort] = [], apiVersion: String? = nil) {
        self.nodes = nodes
        self.tasks = tasks
        self.published = published
        self.apiVersion = apiVersion
    }

    /// The snapshot without what a deploy replaces: the tasks and ingress ports of the stack's services that are in the
    /// files (`services`, scoped names), or of all its services when nil (`--prune`); others keep running.
    public func without(stack: String, services: Set<String>? = nil) -> ClusterSnapshot {
        func replaced(_ service: String, _ owner: String?) -> Bool { owner == stack && (services?.contains(service) ?? true) }
        var copy = self
        copy.tasks = tasks.filter { !replaced($0.service, $0.stack) }
        copy.published = published.filter { !replaced($0.service, $0.stack) }
        return copy
    }
}
