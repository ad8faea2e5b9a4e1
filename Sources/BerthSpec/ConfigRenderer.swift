import BerthYAML

/// Renders a project in the shape `docker compose config` prints: services as a map, ports in long syntax (`target` a
/// number, `published` a string), `depends_on` as a map with `condition`, `environment` as a map; keys sorted.
public enum ConfigRenderer {
    public static func document(_ project: ComposeProject, includeName: Bool = true) -> YAMLNode {
        var top: [(String, YAMLNode)] = []
        if includeName { top.append(("name", .string(project.name))) }
        top.append(("services", .map(project.services.sorted { $0.name < $1.name }.map { ($0.name, service($0)) })))
        let networks = project.networks.filter { network in
            network.declared || project.services.contains { $0.networks.contains { $0.name == network.name } }
        }
        if !networks.isEmpty { top.append(("networks", .map(networks.map { ($0.name, network($0)) }))) }
        if !project.volumes.isEmpty { top.append(("volumes", .map(project.volumes.map { ($0.name, volume($0)) }))) }
        if !project.secrets.isEmpty { top.append(("secrets", .map(project.secrets.map { ($0.name, fileObject($0)) }))) }
        if !project.configs.isEmpty { top.append(("configs", .map(project.configs.map { ($0.name, fileObject($0)) }))) }
        return .map(top)
    }

    public static func keyValueMap(_ entries: [KeyValue]) -> YAMLNode {
        // Compose prints maps with sorted keys.
        .map(entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value.map { YAMLNode.string($0) } ?? .null) })
    }

    static func strings(_ items: [String]) -> YAMLNode { .list(items.map { .string($0) }) }

    public static func service(_ service: Service) -> YAMLNode {
        var fields: [(String, YAMLNode)] = []
        if let build = service.build {
            var pairs: [(String, YAMLNode)] = [("context", .string(build.context))]
            if let dockerfile = build.dockerfile { pairs.append(("dockerfile", .string(dockerfile))) }
            if !build.args.isEmpty { pairs.append(("args", keyValueMap(build.args))) }
            if let target = build.target { pairs.append(("target", .string(target))) }
            if !build.labels.isEmpty { pairs.append(("labels", keyValueMap(build.labels))) }
            if build.noCache { pairs.append(("no_cache", .bool(true))) }
            if build.pull { pairs.append(("pull", .bool(true))) }
            if let inline = build.dockerfileInline { pairs.append(("dockerfile_inline", .string(inline))) }
            if !build.cacheFrom.isEmpty { pairs.append(("cache_from", strings(build.cacheFrom))) }
            if let network = build.network { pairs.append(("network", .string(network))) }
            if let size = build.shmSize { pairs.append(("shm_size", .int(Int(size)))) }
            if !build.extraHosts.isEmpty { pairs.append(("extra_hosts", strings(build.extraHosts))) }
            if !build.tags.isEmpty { pairs.append(("tags", strings(build.tags))) }
            if !build.ulimits.isEmpty {
                pairs.append(("ulimits", .map(build.ulimits.map { ($0.name, .map([("soft", .int(Int($0.soft))), ("hard", .int(Int($0.hard)))])) })))
            }
            if let isolation = build.isolation { pairs.append(("isolation", .string(isolation))) }
            fields.append(("build", .map(pairs)))
        }
        if !service.capAdd.isEmpty { fields.append(("cap_add", strings(service.capAdd))) }
        if !service.capDrop.isEmpty { fields.append(("cap_drop", strings(service.capDrop))) }
        if let command = service.command { fields.append(("command", strings(command))) }
        if !service.configs.isEmpty { fields.append(("configs", fileReferences(service.configs))) }
        if let name = service.containerName { fields.append(("container_name", .string(name))) }
        if !service.dependsOn.isEmpty {
            fields.append(("depends_on", .map(service.dependsOn.map {
                ($0.service, .map([("condition", .string($0.condition.rawValue)), ("restart", .bool($0.restart)), ("required", .bool($0.required))]))
            })))
        }
        var deploy: [(String, YAMLNode)] = []
        if service.replicas != 1 { deploy.append(("replicas", .int(service.replicas))) }
        // `gpus` and reserved devices, in their canonical long form.
        if !service.options.deviceRequests.isEmpty {
            let devices: YAMLNode = .list(service.options.deviceRequests.map { request in
                var pairs: [(String, YAMLNode)] = [("capabilities", .list(request.capabilities.map { .string($0) }))]
                if let driver = request.driver { pairs.append(("driver", .string(driver))) }
                if let count = request.count { pairs.append(("count", count == -1 ? .string("all") : .int(Int(count)))) }
                if !request.deviceIDs.isEmpty { pairs.append(("device_ids", .list(request.deviceIDs.map { .string($0) }))) }
                if !request.options.isEmpty { pairs.append(("options", keyValueMap(request.options))) }
                return .map(pairs)
            })
            deploy.append(("resources", .map([("reservations", .map([("devices", devices)]))])))
        }
        deploy += swarmDeploy(service.swarm)
        if !deploy.isEmpty { fields.append(("deploy", .map(deploy))) }
        if !service.dns.isEmpty { fields.append(("dns", strings(service.dns))) }
        if let domainname = service.domainname { fields.append(("domainname", .string(domainname))) }
        if let entrypoint = service.entrypoint { fields.append(("entrypoint", strings(entrypoint))) }
        if !service.environment.isEmpty { fields.append(("environment", keyValueMap(service.environment))) }
        if !service.expose.isEmpty {
            fields.append(("expose", strings(service.expose.map { $0.ports.description + ($0.protocol == "tcp" ? "" : "/\($0.protocol)") })))
        }
        if !service.extraHosts.isEmpty { fields.append(("extra_hosts", strings(service.extraHosts))) }
        if let health = service.healthcheck { fields.append(("healthcheck", healthcheck(health))) }
        if let hostname = service.hostname { fields.append(("hostname", .string(hostname))) }
        if let image = service.image { fields.append(("image", .string(image))) }
        if let initProcess = service.initProcess { fields.append(("init", .bool(initProcess))) }
        if !service.labels.isEmpty { fields.append(("labels", keyValueMap(service.labels))) }
        if !service.links.isEmpty { fields.append(("links", strings(service.links))) }
        if !service.externalLinks.isEmpty { fields.append(("external_links", strings(service.externalLinks))) }
        if let mode = service.networkMode { fields.append(("network_mode", .string(mode.description))) }
        if !service.networks.isEmpty {
            fields.append(("networks", .map(service.networks.map { network in
                var pairs: [(String, YAMLNode)] = []
                if !network.aliases.isEmpty { pairs.append(("aliases", strings(network.aliases))) }
                if let v4 = network.ipv4Address { pairs.append(("ipv4_address", .string(v4))) }
                if let v6 = network.ipv6Address { pairs.append(("ipv6_address", .string(v6))) }
                if let priority = network.priority { pairs.append(("priority", .int(priority))) }
                if !network.linkLocalIPs.isEmpty { pairs.append(("link_local_ips", strings(network.linkLocalIPs))) }
                if let mac = network.macAddress { pairs.append(("mac_address", .string(mac))) }
                if !network.driverOptions.isEmpty { pairs.append(("driver_opts", keyValueMap(network.driverOptions))) }
                if let priority = network.gatewayPriority { pairs.append(("gw_priority", .int(priority))) }
                if let name = network.interfaceName { pairs.append(("interface_name", .string(name))) }
                return (network.name, pairs.isEmpty ? .null : .map(pairs))
            })))
        }
        if !service.ports.isEmpty { fields.append(("ports", .list(service.ports.map(port)))) }
        if service.privileged { fields.append(("privileged", .bool(true))) }
        if !service.profiles.isEmpty { fields.append(("profiles", strings(service.profiles))) }
        if let policy = service.pullPolicy { fields.append(("pull_policy", .string(policy))) }
        if let platform = service.platform { fields.append(("platform", .string(platform))) }
        if service.readOnly { fields.append(("read_only", .bool(true))) }
        if let restart = service.restart { fields.append(("restart", .string(restart))) }
        if !service.secrets.isEmpty { fields.append(("secrets", fileReferences(service.secrets))) }
        if service.stdinOpen { fields.append(("stdin_open", .bool(true))) }
        if let period = service.stopGracePeriod { fields.append(("stop_grace_period", .string(DurationParser.format(period)))) }
        if !service.attach { fields.append(("attach", .bool(false))) }
        for (key, hooks) in [("post_start", service.postStart), ("pre_stop", service.preStop)] where !hooks.isEmpty {
            fields.append((key, .list(hooks.map { hook in
                var pairs: [(String, YAMLNode)] = [("command", strings(hook.command))]
                if let user = hook.user { pairs.append(("user", .string(user))) }
                if hook.privileged { pairs.append(("privileged", .bool(true))) }
                if let dir = hook.workingDir { pairs.append(("working_dir", .string(dir))) }
                if !hook.environment.isEmpty { pairs.append(("environment", keyValueMap(hook.environment))) }
                return .map(pairs)
            })))
        }
        if let signal = service.stopSignal { fields.append(("stop_signal", .string(signal))) }
        if !service.sysctls.isEmpty { fields.append(("sysctls", keyValueMap(service.sysctls))) }
        if !service.tmpfs.isEmpty { fields.append(("tmpfs", strings(service.tmpfs))) }
        if service.tty { fields.append(("tty", .bool(true))) }
        if let user = service.user { fields.append(("user", .string(user))) }
        if !service.volumes.isEmpty { fields.append(("volumes", .list(service.volumes.map(volumeMount)))) }
        if !service.volumesFrom.isEmpty { fields.append(("volumes_from", strings(service.volumesFrom))) }
        if let dir = service.workingDir { fields.append(("working_dir", .string(dir))) }
        if !service.devices.isEmpty { fields.append(("devices", strings(service.devices))) }
        fields += options(service.options)
        return .map(fields.sorted { $0.0 < $1.0 })
    }

    /// The container options under their Compose keys; `deploy.resources` values show as their top-level twins. Sizes
    /// are bytes, and `cpus` a number, as `docker compose config` prints them. Only what is set is printed, so a file
    /// without these keys keeps its config hash.
    static func options(_ options: ContainerOptions) -> [(String, YAMLNode)] {
        var fields: [(String, YAMLNode)] = []
        func int(_ key: String, _ value: Int64?) { if let value { fields.append((key, .int(Int(value)))) } }
        func text(_ key: String, _ value: String?) { if let value { fields.append((key, .string(value))) } }
        func list(_ key: String, _ values: [String]) { if !values.isEmpty { fields.append((key, strings(values))) } }
        if let nano = options.nanoCPUs { fields.append(("cpus", .number(Double(nano) / 1e9))) }
        int("cpu_shares", options.cpuShares)
        int("cpu_quota", options.cpuQuota)
        int("cpu_period", options.cpuPeriod)
        text("cpuset", options.cpuset)
        int("mem_limit", options.memory)
        int("mem_reservation", options.memoryReservation)
        int("memswap_limit", options.memorySwap)
        int("mem_swappiness", options.memorySwappiness)
        int("pids_limit", options.pidsLimit)
        int("shm_size", options.shmSize)
        int("oom_score_adj", options.oomScoreAdj)
        if let disable = options.oomKillDisable { fields.append(("oom_kill_disable", .bool(disable))) }
        if !options.ulimits.isEmpty {
            fields.append(("ulimits", .map(options.ulimits.map { ($0.name, .map([("soft", .int(Int($0.soft))), ("hard", .int(Int($0.hard)))])) })))
        }
        if let logging = options.logging {
            var pairs: [(String, YAMLNode)] = []
            if let driver = logging.driver { pairs.append(("driver", .string(driver))) }
            if !logging.options.isEmpty { pairs.append(("options", keyValueMap(logging.options))) }
            fields.append(("logging", .map(pairs)))
        }
        if let blkio = options.blkio {
            var pairs: [(String, YAMLNode)] = []
            if let weight = blkio.weight { pairs.append(("weight", .int(Int(weight)))) }
            for (key, entries, valueKey) in [("weight_device", blkio.weightDevice, "weight"), ("device_read_bps", blkio.deviceReadBps, "rate"),
                                             ("device_write_bps", blkio.deviceWriteBps, "rate"), ("device_read_iops", blkio.deviceReadIOps, "rate"),
                                             ("device_write_iops", blkio.deviceWriteIOps, "rate")] where !entries.isEmpty {
                pairs.append((key, .list(entries.map { .map([("path", .string($0.path)), (valueKey, .int(Int($0.value)))]) })))
            }
            fields.append(("blkio_config", .map(pairs)))
        }
        if let period = options.cpuRealtimePeriod { fields.append(("cpu_rt_period", .int(Int(period)))) }
        if let runtime = options.cpuRealtimeRuntime { fields.append(("cpu_rt_runtime", .int(Int(runtime)))) }
        list("security_opt", options.securityOpt)
        text("isolation", options.isolation)
        text("pid", options.pid)
        text("ipc", options.ipc)
        text("uts", options.uts)
        text("cgroup", options.cgroup)
        text("cgroup_parent", options.cgroupParent)
        text("userns_mode", options.userns)
        text("runtime", options.runtime)
        list("group_add", options.groupAdd)
        list("dns_search", options.dnsSearch)
        list("dns_opt", options.dnsOptions)
        list("device_cgroup_rules", options.deviceCgroupRules)
        if !options.storageOpt.isEmpty { fields.append(("storage_opt", keyValueMap(options.storageOpt))) }
        text("mac_address", options.macAddress)
        if !options.annotations.isEmpty { fields.append(("annotations", keyValueMap(options.annotations))) }
        return fields
    }

    public static func port(_ port: PortMapping) -> YAMLNode {
        var pairs: [(String, YAMLNode)] = []
        if let name = port.name { pairs.append(("name", .string(name))) }
        pairs.append(("mode", .string(port.mode)))
        if let ip = port.hostIP { pairs.append(("host_ip", .string(ip))) }
        pairs.append(("target", .int(port.target)))
        if let published = port.published { pairs.append(("published", .string(published.description))) }
        pairs.append(("protocol", .string(port.protocol)))
        if let app = port.appProtocol { pairs.append(("app_protocol", .string(app))) }
        return .map(pairs)
    }

    static func healthcheck(_ health: Healthcheck) -> YAMLNode {
        if health.disable { return .map([("disable", .bool(true))]) }
        var pairs: [(String, YAMLNode)] = []
        if let test = health.test { pairs.append(("test", strings(test))) }
        if let interval = health.interval { pairs.append(("interval", .string(DurationParser.format(interval)))) }
        if let timeout = health.timeout { pairs.append(("timeout", .string(DurationParser.format(timeout)))) }
        if let retries = health.retries { pairs.append(("retries", .int(retries))) }
        if let start = health.startPeriod { pairs.append(("start_period", .string(DurationParser.format(start)))) }
        if let start = health.startInterval { pairs.append(("start_interval", .string(DurationParser.format(start)))) }
        return .map(pairs)
    }

    static func volumeMount(_ mount: VolumeMount) -> YAMLNode {
        var pairs: [(String, YAMLNode)] = [("type", .string(mount.type.rawValue))]
        if let source = mount.source { pairs.append(("source", .string(source))) }
        pairs.append(("target", .string(mount.target)))
        if mount.readOnly { pairs.append(("read_only", .bool(true))) }
        var bind: [(String, YAMLNode)] = []
        if let propagation = mount.propagation { bind.append(("propagation", .string(propagation))) }
        if let create = mount.createHostPath { bind.append(("create_host_path", .bool(create))) }
        if let selinux = mount.selinux { bind.append(("selinux", .string(selinux))) }
        if let recursive = mount.recursive { bind.append(("recursive", .string(recursive))) }
        if !bind.isEmpty { pairs.append(("bind", .map(bind))) }
        var volume: [(String, YAMLNode)] = []
        if let noCopy = mount.noCopy { volume.append(("nocopy", .bool(noCopy))) }
        if let subpath = mount.subpath, mount.type != .image { volume.append(("subpath", .string(subpath))) }
        if !mount.volumeLabels.isEmpty { volume.append(("labels", keyValueMap(mount.volumeLabels))) }
        if !volume.isEmpty { pairs.append(("volume", .map(volume))) }
        if let subpath = mount.subpath, mount.type == .image { pairs.append(("image", .map([("subpath", .string(subpath))]))) }
        var tmpfs: [(String, YAMLNode)] = []
        if let size = mount.tmpfsSize { tmpfs.append(("size", .int(Int(size)))) }
        if let mode = mount.tmpfsMode { tmpfs.append(("mode", .string(String(mode, radix: 8)))) }
        if !tmpfs.isEmpty { pairs.append(("tmpfs", .map(tmpfs))) }
        if let consistency = mount.consistency { pairs.append(("consistency", .string(consistency))) }
        return .map(pairs)
    }

    static func fileReferences(_ references: [FileReference]) -> YAMLNode {
        .list(references.map { reference in
            var pairs: [(String, YAMLNode)] = [("source", .string(reference.source))]
            if let target = reference.target { pairs.append(("target", .string(target))) }
            if let uid = reference.uid { pairs.append(("uid", .string(uid))) }
            if let gid = reference.gid { pairs.append(("gid", .string(gid))) }
            if let mode = reference.mode { pairs.append(("mode", .int(mode))) }
            return .map(pairs)
        })
    }

    static func network(_ network: NetworkDefinition) -> YAMLNode {
        var pairs: [(String, YAMLNode)] = [("name", .string(network.engineName))]
        if let driver = network.driver { pairs.append(("driver", .string(driver))) }
        if !network.driverOptions.isEmpty { pairs.append(("driver_opts", keyValueMap(network.driverOptions))) }
        if !network.ipam.isEmpty || network.ipamDriver != nil {
            var ipam: [(String, YAMLNode)] = []
            if let driver = network.ipamDriver { ipam.append(("driver", .string(driver))) }
            if !network.ipam.isEmpty {
                ipam.append(("config", .list(network.ipam.map { config in
                    var entry: [(String, YAMLNode)] = []
                    if let subnet = config.subnet { entry.append(("subnet", .string(subnet))) }
                    if let gateway = config.gateway { entry.append(("gateway", .string(gateway))) }
                    if let range = config.ipRange { entry.append(("ip_range", .string(range))) }
                    if !config.auxAddresses.isEmpty { entry.append(("aux_addresses", keyValueMap(config.auxAddresses))) }
                    return .map(entry)
                })))
            }
            if !network.ipamOptions.isEmpty { ipam.append(("options", keyValueMap(network.ipamOptions))) }
            pairs.append(("ipam", .map(ipam)))
        }
        if network.internal { pairs.append(("internal", .bool(true))) }
        if network.external { pairs.append(("external", .bool(true))) }
        if network.attachable { pairs.append(("attachable", .bool(true))) }
        if network.enableIPv6 { pairs.append(("enable_ipv6", .bool(true))) }
        if let v4 = network.enableIPv4 { pairs.append(("enable_ipv4", .bool(v4))) }
        if !network.labels.isEmpty { pairs.append(("labels", keyValueMap(network.labels))) }
        return .map(pairs)
    }

    static func volume(_ volume: VolumeDefinition) -> YAMLNode {
        var pairs: [(String, YAMLNode)] = [("name", .string(volume.engineName))]
        if let driver = volume.driver { pairs.append(("driver", .string(driver))) }
        if !volume.driverOptions.isEmpty { pairs.append(("driver_opts", keyValueMap(volume.driverOptions))) }
        if volume.external { pairs.append(("external", .bool(true))) }
        if !volume.labels.isEmpty { pairs.append(("labels", keyValueMap(volume.labels))) }
        return .map(pairs)
    }

    static func fileObject(_ object: FileObjectDefinition) -> YAMLNode {
        var pairs: [(String, YAMLNode)] = []
        if let file = object.file { pairs.append(("file", .string(file))) }
        if let environment = object.environment { pairs.append(("environment", .string(environment))) }
        if let content = object.content { pairs.append(("content", .string(content))) }
        if object.external { pairs.append(("external", .bool(true))) }
        return .map(pairs)
    }

    /// The swarm-only `deploy` keys, as written (each only when written, so a file without them renders, and hashes,
    /// as before).
    static func swarmDeploy(_ swarm: SwarmDeploy) -> [(String, YAMLNode)] {
        var pairs: [(String, YAMLNode)] = []
        func duration(_ value: Duration?) -> YAMLNode? { value.map { .string(DurationParser.format($0)) } }
        if !swarm.labels.isEmpty { pairs.append(("labels", keyValueMap(swarm.labels))) }
        if let mode = swarm.mode { pairs.append(("mode", .string(mode))) }
        if let mode = swarm.endpointMode { pairs.append(("endpoint_mode", .string(mode))) }
        var placement: [(String, YAMLNode)] = []
        if !swarm.constraints.isEmpty { placement.append(("constraints", .list(swarm.constraints.map { .string($0) }))) }
        if let max = swarm.maxReplicasPerNode { placement.append(("max_replicas_per_node", .int(max))) }
        if !swarm.spreads.isEmpty { placement.append(("preferences", .list(swarm.spreads.map { .map([("spread", .string($0))]) }))) }
        if !placement.isEmpty { pairs.append(("placement", .map(placement))) }
        if let policy = swarm.restartPolicy {
            var fields: [(String, YAMLNode)] = []
            if let condition = policy.condition { fields.append(("condition", .string(condition))) }
            if let delay = duration(policy.delay) { fields.append(("delay", delay)) }
            if let attempts = policy.maxAttempts { fields.append(("max_attempts", .int(attempts))) }
            if let window = duration(policy.window) { fields.append(("window", window)) }
            if !fields.isEmpty { pairs.append(("restart_policy", .map(fields))) }
        }
        for (key, config) in [("rollback_config", swarm.rollbackConfig), ("update_config", swarm.updateConfig)] {
            guard let config else { continue }
            var fields: [(String, YAMLNode)] = []
            if let value = config.parallelism { fields.append(("parallelism", .int(value))) }
            if let value = duration(config.delay) { fields.append(("delay", value)) }
            if let value = config.failureAction { fields.append(("failure_action", .string(value))) }
            if let value = duration(config.monitor) { fields.append(("monitor", value)) }
            if let value = config.maxFailureRatio { fields.append(("max_failure_ratio", .string(String(value)))) }
            if let value = config.order { fields.append(("order", .string(value))) }
            pairs.append((key, .map(fields)))
        }
        return pairs
    }
}
