/// What the planner knows about the engine: the project's containers, networks and volumes, the images its services
/// use, and what else on the engine matters for names, ports and subnets. Read once, before planning, by the runtime;
/// empty when no engine is reachable.
public struct EngineSnapshot: Sendable {
    public struct PublishedPort: Sendable, Hashable {
        /// The host address (`""` for all).
        public var ip: String
        public var port: Int
        public var proto: String
        /// The container port it forwards to (0 when unknown).
        public var target: Int

        public init(ip: String, port: Int, proto: String, target: Int = 0) {
            self.ip = ip
            self.port = port
            self.proto = proto
            self.target = target
        }
    }

    /// A volume mounted in a container: the engine's volume name and where it is mounted.
    public struct VolumeMount: Sendable, Hashable {
        public var name: String
        public var destination: String

        public init(name: String, destination: String) {
            self.name = name
            self.destination = destination
        }
    }

    public struct Container: Sendable, Hashable {
        public var id: String
        public var name: String
        /// `com.docker.compose.*` labels, when a Compose tool made it.
        public var project: String?
        public var service: String?
        public var number: Int?
        public var oneoff: Bool
        /// `created`, `running`, `exited`, ...
        public var state: String
        public var configHash: String?
        /// The canonical configuration the container was made from (`ServiceFingerprint.configLabel`), when Berth made it.
        public var config: String?
        /// The image ID recorded at create (`com.docker.compose.image`).
        public var imageID: String?
        /// Seconds since the epoch.
        public var created: Int
        public var publishedPorts: [PublishedPort]
        public var networkMode: String
        /// Engine names of the networks it is attached to.
        public var networks: [String]
        /// Its volume mounts (named and anonymous).
        public var volumes: [VolumeMount]

        public var hostNetwork: Bool { networkMode == "host" }
        public var isRunning: Bool { state == "running" }

        public init(id: String, name: String, project: String? = nil, service: String? = nil, number: Int? = nil, oneoff: Bool = false,
                    state: String = "running", configHash: String? = nil, config: String? = nil, imageID: String? = nil, created: Int = 0,
                    publishedPorts: [PublishedPort] = [], networkMode: String = "", networks: [String] = [], volumes: [VolumeMount] = []) {
            self.id = id
            self.name = name
            self.project = project
            self.service = service
            self.number = number
            self.oneoff = oneoff
            self.state = state
            self.configHash = configHash
            self.config = config
            self.imageID = imageID
            self.created = created
            self.publishedPorts = publishedPorts
            self.networkMode = networkMode
            self.networks = networks
            self.volumes = volumes
        }
    }

    public struct Network: Sendable, Hashable {
        public var id: String
        public var name: String
        public var subnets: [String]
        public var project: String?
        /// The `com.docker.compose.config-hash` recorded at create, when a Compose tool made it.
        public var configHash: String?
        /// The canonical configuration the network was made from, so that a difference can be named.
        public var config: String?

        public init(id: String = "", name: String, subnets: [String] = [], project: String? = nil, configHash: String? = nil, config: String? = nil) {
            self.id = id
            self.name = name
            self.subnets = subnets
            self.project = project
            self.configHash = configHash
            self.config = config
        }
    }

    public struct Volume: Sendable, Hashable {
        public var name: String
        public var driver: String
        public var project: String?
        public var configHash: String?
        /// The canonical configuration the volume was made from, so that a difference can be named.
        public var config: String?

        public init(name: String, driver: String = "local", project: String? = nil, configHash: String? = nil, config: String? = nil) {
            self.name = name
            self.driver = driver
            self.project = project
            self.configHash = configHash
            self.config = config
        }
    }

    public struct Image: Sendable, Hashable {
        public var id: String
        /// `"80/tcp"` keys of the image's exposed ports.
        public var exposedPorts: [String]

        /// `ExposedPorts` as numbers and protocols (`"80/tcp"`; tcp when none is given), in order.
        public var exposed: [(port: Int, proto: String)] {
            exposedPorts.compactMap { entry in
                let parts = entry.split(separator: "/")
                guard let port = parts.first.flatMap({ Int($0) }) else { return nil }
                return (port, parts.count > 1 ? String(parts[1]) : "tcp")
            }
        }
        /// Mount points the image declares (`VOLUME`).
        public var volumes: [String]
        /// When the engine last tagged the image (a pull tags it), in seconds since 1970; nil when never.
        public var lastTagTime: Double?
        /// Whether the image defines a health check (`Config.Healthcheck`, not `NONE`).
        public var hasHealthcheck: Bool

        public init(id: String, exposedPorts: [String] = [], volumes: [String] = [], lastTagTime: Double? = nil, hasHealthcheck: Bool = false) {
            self.id = id
            self.exposedPorts = exposedPorts
            self.volumes = volumes
            self.lastTagTime = lastTagTime
            self.hasHealthcheck = hasHealthcheck
        }
    }

    /// What the engine's host and configuration allow (`/info` and the negotiated API version).
    public struct Capabilities: Sendable, Hashable {
        public var apiVersion: String
        public var cpus: Int
        public var memory: Int64
        public var logDrivers: [String]
        public var runtimes: [String]
        /// The storage driver and its backing filesystem (`overlay2/extfs`); empty when unknown.
        public var storage: String = ""

        public init(apiVersion: String, cpus: Int, memory: Int64, logDrivers: [String], runtimes: [String], storage: String = "") {
            self.storage = storage
            self.apiVersion = apiVersion
            self.cpus = cpus
            self.memory = memory
            self.logDrivers = logDrivers
            self.runtimes = runtimes
        }

        /// Whether the API version is at least `version` (`1.44`).
        public func supports(_ version: String) -> Bool { Self.version(apiVersion, atLeast: version) }

        /// Whether `apiVersion` is at least `version`; an unknown (nil) API version is taken as new enough.
        public static func version(_ apiVersion: String?, atLeast version: String) -> Bool {
            guard let apiVersion else { return true }
            let a = apiVersion.split(separator: ".").compactMap { Int($0) }, b = version.split(separator: ".").compactMap { Int($0) }
            return a.lexicographicallyPrecedes(b) == false
        }
    }

    public var reachable: Bool
    public var osType: String
    /// Nil when the engine was not asked.
    public var capabilities: Capabilities?
    /// The engine's ID (`/info`), which names the project lock.
    public var engineID: String
    public var containers: [Container]
    public var networks: [Network]
    public var volumes: [Volume]
    /// The images the project's services use, by reference as written; a reference the engine lacks is absent.
    public var images: [String: Image]

    public init(reachable: Bool = false, osType: String = "linux", engineID: String = "", containers: [Container] = [],
                networks: [Network] = [], volumes: [Volume] = [], images: [String: Image] = [:], capabilities: Capabilities? = nil) {
        self.reachable = reachable
        self.capabilities = capabilities
        self.osType = osType
        self.engineID = engineID
        self.containers = containers
        self.networks = networks
        self.volumes = volumes
        self.images = images
    }

    public static let unreachable = EngineSnapshot()

    /// The project's own service containers (one-off containers are not part of the stack).
    public func containers(ofProject project: String) -> [Container] {
        containers.filter { $0.project == project && !$0.oneoff }
    }
}
