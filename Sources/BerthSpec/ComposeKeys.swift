/// What becomes of every key Berth reads, decided here once: the decoder's known keys come from this table, a warned
/// key gets an `unsupported-key` warning at its line, a refused one an error, and `docs/compose-coverage.md` is
/// printed from it (`swift run berth-bench coverage`). A key that is not here is unknown: an error with a suggestion.
public enum ComposeKeys {
    public enum Fate: Sendable, Hashable {
        /// Sent to the engine as docker compose sends it, or carried out by Berth itself (`depends_on`, `profiles`).
        case applied(String)
        /// Valid Compose, not applied yet: a warning at the key's line says so.
        case warned(String)
        /// An error at the key's line.
        case refused(String)

        public var note: String {
            switch self {
            case .applied(let note), .warned(let note), .refused(let note): note
            }
        }
    }

    public struct Section: Sendable {
        /// Where the keys live, as a path (`services.*`, `services.*.deploy.resources.limits`).
        public var path: String
        public var keys: [(name: String, fate: Fate)]

        public var names: Set<String> { Set(keys.map(\.name)) }
        public func fate(_ key: String) -> Fate? { keys.first { $0.name == key }?.fate }
    }

    static func applied(_ note: String = "") -> Fate { .applied(note) }

    public static let topLevel = Section(path: "", keys: [
        ("version", applied("accepted and ignored, as Compose ignores it")), ("name", applied("the project name")),
        ("services", applied()), ("networks", applied()), ("volumes", applied()), ("secrets", applied()), ("configs", applied()),
        ("include", applied("each included file read as a project of its own")),
        ("models", .warned("not supported: needs Docker Model Runner")),
    ])

    public static let service = Section(path: "services.*", keys: [
        ("annotations", applied("HostConfig.Annotations; needs engine API 1.43")), ("attach", applied("attached up follows only these services' logs")),
        ("blkio_config", applied("HostConfig.Blkio*")), ("build", applied("through the engine's classic builder")),
        ("cap_add", applied("HostConfig.CapAdd")), ("cap_drop", applied("HostConfig.CapDrop")), ("cgroup", applied("HostConfig.CgroupnsMode")),
        ("cgroup_parent", applied("HostConfig.CgroupParent")), ("command", applied("Config.Cmd")), ("configs", applied("a read-only bind for a file; written before start for environment and content")),
        ("container_name", applied("the container's name")), ("cpu_count", .warned("Windows engines only")),
        ("cpu_percent", .warned("Windows engines only")), ("cpu_period", applied("HostConfig.CpuPeriod")),
        ("cpu_quota", applied("HostConfig.CpuQuota")), ("cpu_rt_period", applied("HostConfig.CpuRealtimePeriod")),
        ("cpu_rt_runtime", applied("HostConfig.CpuRealtimeRuntime")), ("cpu_shares", applied("HostConfig.CpuShares")),
        ("cpus", applied("HostConfig.NanoCpus")), ("cpuset", applied("HostConfig.CpusetCpus")),
        ("credential_spec", .refused("a Linux engine refuses credential specs (Windows only)")), ("depends_on", applied("start order and conditions")),
        ("deploy", applied("see services.*.deploy")), ("develop", .warned("'watch' is not implemented")),
        ("device_cgroup_rules", applied("HostConfig.DeviceCgroupRules")), ("devices", applied("HostConfig.Devices")),
        ("dns", applied("HostConfig.Dns")), ("dns_opt", applied("HostConfig.DnsOptions")), ("dns_search", applied("HostConfig.DnsSearch")),
        ("domainname", applied("Config.Domainname")), ("entrypoint", applied("Config.Entrypoint")), ("env_file", applied("Config.Env")),
        ("environment", applied("Config.Env")), ("expose", applied("Config.ExposedPorts")), ("extends", applied("merged at load")),
        ("external_links", applied("HostConfig.Links")), ("extra_hosts", applied("HostConfig.ExtraHosts")),
        ("gpus", applied("HostConfig.DeviceRequests, with the gpu capability")), ("group_add", applied("HostConfig.GroupAdd")), ("healthcheck", applied("Config.Healthcheck")),
        ("hostname", applied("Config.Hostname")), ("image", applied("Config.Image")), ("init", applied("HostConfig.Init")),
        ("ipc", applied("HostConfig.IpcMode")), ("isolation", applied("HostConfig.Isolation; a Linux engine accepts only 'default', anything else is an error")),
        ("labels", applied("Config.Labels")), ("label_file", applied("Config.Labels, under 'labels'")), ("links", applied("HostConfig.Links, to the service's first container")),
        ("logging", applied("HostConfig.LogConfig")), ("mac_address", applied("Config.MacAddress")),
        ("mem_limit", applied("HostConfig.Memory")), ("mem_reservation", applied("HostConfig.MemoryReservation")),
        ("mem_swappiness", applied("HostConfig.MemorySwappiness")), ("memswap_limit", applied("HostConfig.MemorySwap")),
        ("models", .warned("not supported: needs Docker Model Runner")), ("network_mode", applied("HostConfig.NetworkMode")),
        ("networks", applied("endpoints")), ("oom_kill_disable", applied("HostConfig.OomKillDisable")),
        ("oom_score_adj", applied("HostConfig.OomScoreAdj")), ("pid", applied("HostConfig.PidMode")),
        ("pids_limit", applied("HostConfig.PidsLimit")), ("platform", applied("the create request's platform")), ("ports", applied("PortBindings")),
        ("post_start", applied("run through the engine's exec after each start")), ("pre_stop", applied("run through the engine's exec before each stop")),
        ("privileged", applied("HostConfig.Privileged")), ("profiles", applied("service selection")),
        ("provider", .warned("not supported")), ("pull_policy", applied("when images are pulled")),
        ("pull_refresh_after", .warned("not applied")), ("read_only", applied("HostConfig.ReadonlyRootfs")),
        ("restart", applied("HostConfig.RestartPolicy")), ("runtime", applied("HostConfig.Runtime")), ("scale", applied("replicas")),
        ("secrets", applied("under /run/secrets: a read-only bind for a file; written before start for environment and content")), ("security_opt", applied("HostConfig.SecurityOpt")), ("shm_size", applied("HostConfig.ShmSize")),
        ("stdin_open", applied("Config.OpenStdin")), ("stop_grace_period", applied("Config.StopTimeout")),
        ("stop_signal", applied("Config.StopSignal")), ("storage_opt", applied("HostConfig.StorageOpt")), ("sysctls", applied("HostConfig.Sysctls")),
        ("tmpfs", applied("HostConfig.Tmpfs")), ("tty", applied("Config.Tty")), ("ulimits", applied("HostConfig.Ulimits")),
        ("use_api_socket", .warned("not applied: it would mount the Docker socket")), ("user", applied("Config.User")),
        ("userns_mode", applied("HostConfig.UsernsMode")), ("uts", applied("HostConfig.UTSMode")), ("volumes", applied("HostConfig.Mounts")),
        ("volumes_from", applied("HostConfig.VolumesFrom, the service's first container")), ("working_dir", applied("Config.WorkingDir")),
    ])

    public static let deploy = Section(path: "services.*.deploy", keys: [
        ("replicas", applied("the number of containers")), ("resources", applied("see services.*.deploy.resources")),
        ("restart_policy", applied("HostConfig.RestartPolicy, over 'restart'")),
        ("mode", .warned("stack mode only")), ("labels", .warned("stack mode only (service labels)")),
        ("placement", .warned("stack mode only")), ("update_config", .warned("stack mode only")),
        ("rollback_config", .warned("stack mode only")), ("endpoint_mode", .warned("stack mode only")),
    ])

    public static let resources = Section(path: "services.*.deploy.resources", keys: [
        ("limits", applied()), ("reservations", applied()),
    ])

    public static let limits = Section(path: "services.*.deploy.resources.limits", keys: [
        ("cpus", applied("HostConfig.NanoCpus")), ("memory", applied("HostConfig.Memory")), ("pids", applied("HostConfig.PidsLimit")),
    ])

    public static let reservations = Section(path: "services.*.deploy.resources.reservations", keys: [
        ("memory", applied("HostConfig.MemoryReservation")), ("cpus", .warned("stack mode only, as in Compose")),
        ("devices", applied("HostConfig.DeviceRequests")), ("generic_resources", .warned("stack mode only")),
    ])

    public static let restartPolicy = Section(path: "services.*.deploy.restart_policy", keys: [
        ("condition", applied("none is no, any is always")), ("max_attempts", applied("MaximumRetryCount")),
        ("delay", .warned("stack mode only")), ("window", .warned("stack mode only")),
    ])

    public static let healthcheck = Section(path: "services.*.healthcheck", keys: [
        ("test", applied()), ("interval", applied()), ("timeout", applied()), ("retries", applied()), ("start_period", applied()),
        ("start_interval", applied("needs engine API 1.44")), ("disable", applied("Test NONE")),
    ])

    public static let logging = Section(path: "services.*.logging", keys: [
        ("driver", applied("LogConfig.Type")), ("options", applied("LogConfig.Config")),
    ])

    public static let build = Section(path: "services.*.build", keys: [
        ("context", applied()), ("dockerfile", applied()), ("args", applied()), ("target", applied()), ("labels", applied()),
        ("no_cache", applied("nocache")), ("pull", applied("pull")),
        ("dockerfile_inline", applied("written into the context that is sent")), ("cache_from", applied("cachefrom")), ("cache_to", .warned("needs BuildKit")),
        ("network", applied("networkmode")), ("shm_size", applied("shmsize")), ("extra_hosts", applied("extrahosts")),
        ("tags", applied("more t= tags")), ("ulimits", applied("ulimits")), ("isolation", applied("isolation; only 'default' on Linux")),
        ("ssh", .warned("needs BuildKit")), ("secrets", .warned("needs BuildKit")), ("additional_contexts", .warned("needs BuildKit")),
        ("platforms", .warned("needs BuildKit")), ("privileged", .warned("needs BuildKit")), ("entitlements", .warned("needs BuildKit")),
        ("sbom", .warned("needs BuildKit")), ("provenance", .warned("needs BuildKit")),
    ])

    /// Every section, in the order the coverage table lists them.
    public static let all: [Section] = [topLevel, service, deploy, resources, limits, reservations, restartPolicy, healthcheck, logging, build]

    /// The service keys `berth stack deploy` sends to a swarm (as `docker stack deploy` does); every other key a
    /// service writes gets a `swarm-unsupported` warning at its line. `env_file` is read into `environment`;
    /// `depends_on` orders the deploy and its conditions are waited for; `scale` is the replica count.
    public static let stackApplied: Set<String> = [
        "image", "command", "entrypoint", "hostname", "environment", "env_file", "labels", "working_dir", "user", "stop_grace_period",
        "stop_signal", "tty", "stdin_open", "read_only", "init", "volumes", "healthcheck", "dns", "dns_search", "extra_hosts", "sysctls",
        "ulimits", "cap_add", "cap_drop", "secrets", "configs", "networks", "logging", "ports", "deploy", "restart", "depends_on", "scale",
        "profiles", "cpus", "mem_limit", "mem_reservation", "pids_limit", "extends", "x-berth",
    ]

    /// The coverage table, `docs/compose-coverage.md`.
    public static func coverageTable() -> String {
        var out = "# Compose keys in Berth\n\nGenerated from the decoder's key table (`Sources/BerthSpec/ComposeKeys.swift`) by "
        out += "`swift run berth-bench coverage > docs/compose-coverage.md`; a test fails when this page and the code disagree. "
        out += "*applied*: sent to the engine as docker compose sends it, or carried out by Berth; *warned*: an `unsupported-key` "
        out += "warning at the key's line; *refused*: an error. A key in none of these tables is unknown: an error with a suggestion. "
        out += "*Stack mode* is `berth stack deploy`: a service key it does not send gets a `swarm-unsupported` warning at its line.\n"
        for section in all {
            out += "\n## `\(section.path.isEmpty ? "(top level)" : section.path)`\n\n| key | single engine | stack mode |\n|---|---|---|\n"
            for (name, fate) in section.keys.sorted(by: { $0.name < $1.name }) {
                let kind = switch fate {
                case .applied: "applied"
                case .warned: "warned"
                case .refused: "refused"
                }
                let stack = section.path == "services.*" ? (stackApplied.contains(name) ? "applied" : "warned") : section.path.hasPrefix("services.*.deploy") ? "applied" : "-"
                out += "| `\(name)` | \(kind)\(fate.note.isEmpty ? "" : ": \(fate.note)") | \(stack) |\n"
            }
        }
        return out
    }
}
