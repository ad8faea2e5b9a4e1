import BerthDiagnostics

/// A loaded, merged, interpolated Compose project.
public struct ComposeProject: Sendable {
    public var name: String
    public var workingDirectory: String
    public var files: [String]
    /// Services in file order (the order they were first written).
    public var services: [Service]
    public var networks: [NetworkDefinition]
    public var volumes: [VolumeDefinition]
    public var secrets: [FileObjectDefinition]
    public var configs: [FileObjectDefinition]
    /// Services that were left out because none of their profiles is active.
    public var disabledServices: [Service]
    /// Lint codes silenced for the whole file (`x-berth: {ignore: [...]}` at the top level).
    public var ignoredLints: Set<String> = []

    public func service(named name: String) -> Service? { services.first { $0.name == name } }
    public func network(named name: String) -> NetworkDefinition? { networks.first { $0.name == name } }
}

/// A host port or port range (`8080` or `8000-8010`).
public struct PortRange: Sendable, Hashable, CustomStringConvertible {
    public var lower: Int
    public var upper: Int

    public init(_ lower: Int, _ upper: Int? = nil) {
        self.lower = lower
        self.upper = upper ?? lower
    }

    public var count: Int { upper - lower + 1 }
    public var description: String { lower == upper ? "\(lower)" : "\(lower)-\(upper)" }
}

/// One `ports:` entry, after the short syntax has been expanded.
public struct PortMapping: Sendable, Hashable {
    public var target: Int
    public var published: PortRange?
    public var hostIP: String?
    public var `protocol`: String
    public var mode: String
    public var name: String?
    public var appProtocol: String?
    public var location: SourceLocation

    public init(target: Int, published: PortRange? = nil, hostIP: String? = nil, protocol: String = "tcp",
                mode: String = "ingress", name: String? = nil, appProtocol: String? = nil, location: SourceLocation) {
        self.target = target
        self.published = published
        self.hostIP = hostIP
        self.protocol = `protocol`
        self.mode = mode
        self.name = name
        self.appProtocol = appProtocol
        self.location = location
    }
}

/// One `expose:` entry.
public struct ExposedPort: Sendable, Hashable {
    public var ports: PortRange
    public var `protocol`: String
    public var location: SourceLocation
}

/// How a service's network namespace is chosen.
public enum NetworkMode: Sendable, Hashable, CustomStringConvertible {
    case bridge, host, none
    case service(String)
    case container(String)
    /// Any other value (a network name, for instance), passed to the engine as written.
    case other(String)

    public init(_ text: String) {
        switch text {
        case "bridge", "default": self = .bridge
        case "host": self = .host
        case "none": self = .none
        default:
            if text.hasPrefix("service:") {
                self = .service(String(text.dropFirst(8)))
            } else if text.hasPrefix("container:") {
                self = .container(String(text.dropFirst(10)))
            } else {
                self = .other(text)
            }
        }
    }

    public var description: String {
        switch self {
        case .bridge: "bridge"
        case .host: "host"
        case .none: "none"
        case .service(let name): "service:\(name)"
        case .container(let name): "container:\(name)"
        case .other(let text): text
        }
    }
}

/// A service's attachment to one network.
public struct ServiceNetwork: Sendable, Hashable {
    public var name: String
    public var aliases: [String]
    public var ipv4Address: String?
    public var ipv6Address: String?
    public var priority: Int?
    public var location: SourceLocation
    public var ipv4Location: SourceLocation?
    /// `link_local_ips` (EndpointSettings.IPAMConfig.LinkLocalIPs).
    public var linkLocalIPs: [String] = []
    /// `mac_address` (EndpointSettings.MacAddress, API 1.44).
    public var macAddress: String? = nil
    /// `driver_opts` (EndpointSettings.DriverOpts).
    public var driverOptions: [KeyValue] = []
    /// `gw_priority` (EndpointSettings.GwPriority, API 1.48).
    public var gatewayPriority: Int? = nil
    /// `interface_name` (the `com.docker.network.endpoint.ifname` driver option, API 1.49).
    public var interfaceName: String? = nil
    /// Where each key of the entry is, for messages.
    public var keyLocations: [String: SourceLocation] = [:]
}

extension Service {
    /// The service's networks in the order the engine gets them, as compose-go's `NetworksByPriority`: the highest
    /// `priority` first, then by name. The first is the one the container is created on.
    public var networksByPriority: [ServiceNetwork] {
        networks.sorted { ($0.priority ?? 0, $1.name) > ($1.priority ?? 0, $0.name) }
    }
}

public enum DependencyCondition: String, Sendable, Hashable {
    case started = "service_started"
    case healthy = "service_healthy"
    case completedSuccessfully = "service_completed_successfully"
}

public struct Dependency: Sendable, Hashable {
    public var service: String
    public var condition: DependencyCondition
    public var restart: Bool
    public var required: Bool
    public var location: SourceLocation

    public init(service: String, condition: DependencyCondition, restart: Bool, required: Bool, location: SourceLocation) {
        self.service = service
        self.condition = condition
        self.restart = restart
        self.required = required
        self.location = location
    }
}

public struct Healthcheck: Sendable, Hashable {
    /// `["NONE"]`, `["CMD", ...]` or `["CMD-SHELL", "..."]`.
    public var test: [String]?
    public var interval: Duration?
    public var timeout: Duration?
    public var retries: Int?
    public var startPeriod: Duration?
    public var startInterval: Duration?
    public var disable: Bool
}

public struct VolumeMount: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case volume, bind, tmpfs, npipe, cluster, image }
    public var type: Kind
    /// A volume name, a host path (absolute once loaded), or nil for an anonymous volume.
    public var source: String?
    public var target: String
    public var readOnly: Bool
    public var createHostPath: Bool?
    public var noCopy: Bool?
    public var location: SourceLocation
    /// `bind.propagation` (or a short-syntax `rshared`, ...).
    public var propagation: String? = nil
    /// `bind.selinux` (or a short-syntax `z`/`Z`): relabel shared (`z`) or private (`Z`).
    public var selinux: String? = nil
    /// `bind.recursive`: `enabled`, `disabled`, `writable` or `readonly`.
    public var recursive: String? = nil
    /// `volume.subpath`, or `image.subpath` for an image mount.
    public var subpath: String? = nil
    /// `volume.labels`.
    public var volumeLabels: [KeyValue] = []
    /// `tmpfs.size` in bytes and `tmpfs.mode` (a file mode).
    public var tmpfsSize: Int64? = nil
    public var tmpfsMode: Int? = nil
    /// `consistency` (or a short-syntax `cached`, `delegated`, `consistent`): passed through, as Compose does.
    public var consistency: String? = nil

    /// Whether the engine's Mounts API is needed, as Compose's `bindRequiresMountAPI`/`volumeRequiresMountAPI` decide
    /// (create.go): a bind with `create_host_path: false`, a propagation or `recursive`; a volume with labels, a
    /// subpath or `nocopy`; every tmpfs, image and anonymous volume. The rest go in the legacy `Binds` form, where the
    /// engine creates a missing bind source (the Mounts API of this engine, 1.41, ignores `CreateMountpoint`).
    public var requiresMountAPI: Bool {
        switch type {
        case .bind: createHostPath == false || propagation != nil || recursive != nil || source == nil
        case .volume: source == nil || !volumeLabels.isEmpty || subpath != nil || noCopy == true
        default: true
        }
    }
}

public struct BuildSpec: Sendable, Hashable {
    public var context: String
    public var dockerfile: String?
    public var args: [KeyValue]
    public var target: String?
    public var labels: [KeyValue]
    /// `no_cache` and `pull`: build without the cache, pull the base images.
    public var noCache = false
    public var pull = false
    /// `dockerfile_inline`: the Dockerfile's text, sent inside the context.
    public var dockerfileInline: String? = nil
    public var cacheFrom: [String] = []
    public var network: String? = nil
    public var shmSize: Int64? = nil
    public var extraHosts: [String] = []
    /// More tags than the service's image.
    public var tags: [String] = []
    public var ulimits: [ContainerOptions.Ulimit] = []
    public var isolation: String? = nil
}

/// An ordered key with an optional value (`environment`, `labels`, build `args`). A nil value means "unset".
public struct KeyValue: Sendable, Hashable {
    public var key: String
    public var value: String?

    public init(_ key: String, _ value: String?) {
        self.key = key
        self.value = value
    }
}

public struct FileReference: Sendable, Hashable {
    public var source: String
    public var target: String?
    public var uid: String?
    public var gid: String?
    public var mode: Int?
    public var location: SourceLocation?
}

public struct Service: Sendable, Hashable {
    public var name: String
    /// Where the service's key was written.
    public var location: SourceLocation
    public var image: String?
    public var imageLocation: SourceLocation?
    public var build: BuildSpec?
    public var command: [String]?
    public var entrypoint: [String]?
    public var environment: [KeyValue] = []
    public var ports: [PortMapping] = []
    public var expose: [ExposedPort] = []
    public var networkMode: NetworkMode?
    public var networkModeLocation: SourceLocation?
    /// Networks as declared (empty when none were declared; the loader adds `default` where Compose would).
    public var networks: [ServiceNetwork] = []
    public var networksLocation: SourceLocation?
    public var dependsOn: [Dependency] = []
    public var healthcheck: Healthcheck?
    public var healthcheckLocation: SourceLocation?
    public var restart: String?
    public var volumes: [VolumeMount] = []
    public var volumesFrom: [String] = []
    public var links: [String] = []
    public var externalLinks: [String] = []
    public var labels: [KeyValue] = []
    public var containerName: String?
    public var containerNameLocation: SourceLocation?
    public var hostname: String?
    public var hostnameLocation: SourceLocation?
    public var domainname: String?
    public var workingDir: String?
    public var user: String?
    public var stopSignal: String?
    public var stopGracePeriod: Duration?
    /// `attach: false` leaves the service out of attached `up`'s log stream.
    public var attach: Bool = true
    /// `post_start` and `pre_stop` hooks.
    public var postStart: [LifecycleHook] = []
    public var preStop: [LifecycleHook] = []
    public var profiles: [String] = []
    public var replicas: Int = 1
    public var replicasLocation: SourceLocation?
    public var privileged: Bool = false
    public var privilegedLocation: SourceLocation?
    public var capAdd: [String] = []
    public var capAddLocation: SourceLocation?
    public var capDrop: [String] = []
    public var initProcess: Bool?
    public var tty: Bool = false
    public var stdinOpen: Bool = false
    public var extraHosts: [String] = []
    public var dns: [String] = []
    public var dnsLocation: SourceLocation?
    public var secrets: [FileReference] = []
    public var configs: [FileReference] = []
    public var pullPolicy: String?
    public var platform: String?
    public var readOnly: Bool = false
    public var sysctls: [KeyValue] = []
    public var tmpfs: [String] = []
    public var devices: [String] = []
    /// Resources, limits, logging, security, namespaces and DNS options.
    public var options = ContainerOptions()
    /// The `deploy` keys only a swarm applies (`stack deploy`).
    public var swarm = SwarmDeploy()
    /// Where each of the service's own keys was written (a stack deploy warns, at its line, about each one a swarm
    /// does not apply).
    public var writtenKeys: [String: SourceLocation] = [:]
    /// `environment` keys whose value was written literally (no `${...}`), with where; the credential lint reads them.
    public var literalEnvironment: [String: SourceLocation] = [:]
    /// Lint codes silenced for this service (`x-berth: {ignore: [...]}`).
    public var ignoredLints: Set<String> = []
    /// `use_api_socket: true`, which mounts the engine's socket.
    public var usesAPISocket: SourceLocation?

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }

    /// The network mode in effect: the declared one, else `bridge`-like attachment to networks.
    public var effectiveNetworkMode: NetworkMode { networkMode ?? .bridge }
}

public struct NetworkDefinition: Sendable, Hashable {
    public struct IPAMConfig: Sendable, Hashable {
        public var subnet: String?
        public var gateway: String?
        public var ipRange: String?
        public var location: SourceLocation
        /// `aux_addresses`: host name to address, kept out of the pool (IPAM AuxiliaryAddresses).
        public var auxAddresses: [KeyValue] = []
    }

    /// The key in the file.
    public var name: String
    /// The engine-side name (`<project>_<key>` unless `name:` or `external`).
    public var engineName: String
    public var driver: String?
    public var driverOptions: [KeyValue] = []
    public var ipamDriver: String?
    public var ipam: [IPAMConfig] = []
    public var `internal`: Bool = false
    public var external: Bool = false
    public var attachable: Bool = false
    public var enableIPv6: Bool = false
    /// `enable_ipv4` (EnableIPv4, API 1.47); nil when not written.
    public var enableIPv4: Bool? = nil
    public var enableIPv4Location: SourceLocation? = nil
    /// `ipam.options` (IPAM Options).
    public var ipamOptions: [KeyValue] = []
    public var labels: [KeyValue] = []
    public var location: SourceLocation
    /// Whether the file declared it (false for the implicit `default`).
    public var declared: Bool = true
}

public struct VolumeDefinition: Sendable, Hashable {
    public var name: String
    public var engineName: String
    public var driver: String?
    public var driverOptions: [KeyValue] = []
    public var external: Bool = false
    public var labels: [KeyValue] = []
    public var location: SourceLocation
}

public struct FileObjectDefinition: Sendable, Hashable {
    public var name: String
    public var file: String?
    public var environment: String?
    /// The value of `environment`'s variable when the project was loaded (nil when it is not set).
    public var environmentValue: String?
    public var content: String?
    public var external: Bool = false
    /// `driver` or `template_driver`: Swarm-only, refused in single-engine mode as Compose refuses them.
    public var driver: String?
    /// `name:` as written (the object's name in a swarm, instead of a stack-scoped one).
    public var explicitName: String?
    public var labels: [KeyValue] = []
    /// The SHA-256 of what the container gets (the file's bytes, or the injected text), read when the project was
    /// loaded: a change recreates the containers that use it.
    public var contentDigest: String?
    public var location: SourceLocation

    /// The text injected into the container for an `environment` or `content` source; nil for a file (bind-mounted).
    public var injectedContent: String? { content ?? (environment != nil ? environmentValue : nil) }
}
