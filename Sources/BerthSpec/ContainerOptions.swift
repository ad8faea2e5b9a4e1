import BerthDiagnostics

/// The keys that tune the container the engine makes for a service, beyond its image, command, ports and mounts:
/// resources, limits, logging, security, namespaces and DNS options. Each becomes the `HostConfig` field that
/// docker compose sends it as (`pkg/compose/create.go`); a `deploy.resources` value takes the place of its top-level
/// twin, as in Compose's `setLimits`/`setReservations`.
public struct ContainerOptions: Sendable, Hashable {
    public struct Ulimit: Sendable, Hashable {
        public var name: String
        public var soft: Int64
        public var hard: Int64

        public init(name: String, soft: Int64, hard: Int64) {
            self.name = name
            self.soft = soft
            self.hard = hard
        }
    }

    public struct Logging: Sendable, Hashable {
        public var driver: String?
        public var options: [KeyValue]
    }

    public var blkio: BlkioConfig?
    /// `cpu_rt_period` and `cpu_rt_runtime`, in microseconds.
    public var cpuRealtimePeriod: Int64?
    public var cpuRealtimeRuntime: Int64?
    /// `gpus` and `deploy.resources.reservations.devices`.
    public var deviceRequests: [DeviceRequest] = []
    /// `cpus` in billionths of a CPU (`HostConfig.NanoCpus`).
    public var nanoCPUs: Int64?
    public var cpuShares: Int64?
    public var cpuQuota: Int64?
    public var cpuPeriod: Int64?
    public var cpuset: String?
    /// Bytes.
    public var memory: Int64?
    public var memoryReservation: Int64?
    public var memorySwap: Int64?
    public var memorySwappiness: Int64?
    public var pidsLimit: Int64?
    public var shmSize: Int64?
    public var oomScoreAdj: Int64?
    public var oomKillDisable: Bool?
    public var ulimits: [Ulimit] = []
    public var logging: Logging?
    public var securityOpt: [String] = []
    /// The content of each `seccomp=FILE` profile of `security_opt`, compacted, by the file as written: the engine
    /// takes the profile itself, not a path (Compose reads the file the same way).
    public var seccompProfiles: [String: String] = [:]
    /// `isolation`: only `default` on a Linux engine.
    public var isolation: String?
    public var pid: String?
    public var ipc: String?
    public var uts: String?
    public var cgroup: String?
    public var cgroupParent: String?
    public var userns: String?
    public var runtime: String?
    public var groupAdd: [String] = []
    public var dnsSearch: [String] = []
    public var dnsOptions: [String] = []
    public var deviceCgroupRules: [String] = []
    public var storageOpt: [KeyValue] = []
    public var macAddress: String?
    public var annotations: [KeyValue] = []
    /// Where each key was written, by its name (`mem_limit`, `deploy.resources.limits.memory`), for the engine's
    /// answers and the checks.
    public var locations: [String: SourceLocation] = [:]

    public init() {}
}
