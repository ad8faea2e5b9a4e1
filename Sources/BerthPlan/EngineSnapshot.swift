import BerthSpec

/// What the planner needs to know about the engine, read once before planning. Empty when no engine is reachable.
public struct EngineSnapshot: Sendable {
    public struct Container: Sendable, Hashable {
        public var id: String
        public var name: String
        public var project: String?
        public var service: String?
        public var state: String
        public var configHash: String?
        /// The canonical configuration the container was made from (`ServiceFingerprint.configLabel`), when Berth made it.
        public var config: String?
        public var number: Int?
        public var publishedPorts: [(ip: String, port: Int, proto: String)]
        public var hostNetwork: Bool

        public init(id: String, name: String, project: String?, service: String?, state: String, configHash: String?, config: String? = nil,
                    number: Int?, publishedPorts: [(ip: String, port: Int, proto: String)], hostNetwork: Bool) {
            self.config = config
            self.id = id
            self.name = name
            self.project = project
            self.service = service
            self.state = state
            self.configHash = configHash
            self.number = number
            self.publishedPorts = publishedPorts
            self.hostNetwork = hostNetwork
        }

        public static func == (a: Container, b: Container) -> Bool { a.id == b.id }
        public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    }

    public struct Network: Sendable, Hashable {
        public var name: String
        public var subnets: [String]
        public var project: String?
        public init(name: String, subnets: [String], project: String?) {
            self.name = name
            self.subnets = subnets
            self.project = project
        }
    }

    public var reachable: Bool
    public var osType: String
    public var containers: [Container]
    public var networks: [Network]
    public var volumes: [String]
    /// Exposed ports of images, by the image reference as written (`"80/tcp"` keys).
    public var imageExposedPorts: [String: [String]]

    public init(reachable: Bool = false, osType: String = "linux", containers: [Container] = [], networks: [Network] = [],
                volumes: [String] = [], imageExposedPorts: [String: [String]] = [:]) {
        self.reachable = reachable
        self.osType = osType
        self.containers = containers
        self.networks = networks
        self.volumes = volumes
        self.imageExposedPorts = imageExposedPorts
    }

    public static let unreachable = EngineSnapshot()
}
