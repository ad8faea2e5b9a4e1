import BerthPlan
import BerthSpec
import BerthYAML
import DockerEngine

/// Translates a Compose service into the engine's container-create body.
public enum ContainerSpec {

    /// Key-value entries as the engine's string map (the last of a repeated key wins; an unset value is empty).
    static func dictionary(_ entries: [KeyValue]) -> [String: JSONValue] {
        Dictionary(entries.map { ($0.key, JSONValue.string($0.value ?? "")) }, uniquingKeysWith: { _, b in b })
    }

    static func object(_ entries: [KeyValue]) -> JSONValue { .object(dictionary(entries)) }

    static func nanoseconds(_ duration: Duration?) -> JSONValue? {
        guard let duration else { return nil }
        let (seconds, attoseconds) = duration.components
        return .number(Double(seconds) * 1e9 + Double(attoseconds / 1_000_000_000))
    }

    /// The engine's Healthcheck (a container's and a swarm service's alike); `startInterval` where the engine takes it.
    static func healthcheck(_ health: Healthcheck, startInterval: Bool) -> JSONValue {
        var check: [String: JSONValue] = [:]
        if let test = health.test { check["Test"] = .array(test.map(JSONValue.string)) }
        if let v = nanoseconds(health.interval) { check["Interval"] = v }
        if let v = nanoseconds(health.timeout) { check["Timeout"] = v }
        if let retries = health.retries { check["Retries"] = .number(Double(retries)) }
        if let v = nanoseconds(health.startPeriod) { check["StartPeriod"] = v }
        if let v = nanoseconds(health.startInterval), startInterval { check["StartInterval"] = v }
        return .object(check)
    }

    /// The create body for one replica. `imageID` is recorded in `com.docker.compose.image` (a changed ID behind the
    /// same tag recreates the container); `inherited` are the anonymous volumes taken over from the container it
    /// replaces (`replacing`); `hostPorts` are the ports the plan picked for ranges; `namespaceContainer` resolves `network_mode: service:X` to X's container ID.
    public static func body(project: ComposeProject, service: Service, number: Int, imageReference: String, imageID: String?,
                            inherited: [EngineSnapshot.VolumeMount] = [], replacing: String? = nil, apiVersion: String? = nil,
                            hostPorts: [Int: Int] = [:], oneOff: OneOffRun? = nil,
                            namespaceContainer: (String) -> String?) -> JSONValue {
        // Fields an older engine would drop or refuse are left out (`check` warns with `needs-newer-engine`).
        func supported(_ version: String) -> Bool { EngineSnapshot.Capabilities.version(apiVersion, atLeast: version) }
        var config: [String: JSONValue] = ["Image": .string(imageReference)]
        if let command = service.command { config["Cmd"] = .array(command.map(JSONValue.string)) }
        if let entrypoint = service.entrypoint { config["Entrypoint"] = .array(entrypoint.map(JSONValue.string)) }
        config["Env"] = .array(service.environment.compactMap { entry in entry.value.map { .string("\(entry.key)=\($0)") } })
        if let dir = service.workingDir { config["WorkingDir"] = .string(dir) }
        if let user = service.user { config["User"] = .string(user) }
        if let signal = service.stopSignal { config["StopSignal"] = .string(signal) }
        if let grace = service.stopGracePeriod { config["StopTimeout"] = .number(Double(grace.components.seconds)) }
        config["Tty"] = .bool(service.tty)
        config["OpenStdin"] = .bool(service.stdinOpen)
        if let oneOff {
            // run attaches to the container it starts; stdin is closed when Berth's own ends.
            config["AttachStdout"] = true
            config["AttachStderr"] = true
            config["AttachStdin"] = .bool(oneOff.interactive)
            config["StdinOnce"] = .bool(oneOff.interactive)
        }
        let joinsOther: Bool = switch service.networkMode {
        case .service, .container: true
        default: false
        }
        if !joinsOther, service.networkMode != .host {
            if let hostname = service.hostname { config["Hostname"] = .string(hostname) }
            if let domainname = service.domainname { config["Domainname"] = .string(domainname) }
        }

        var labels: [String: JSONValue] = [:]
        for label in service.labels { labels[label.key] = .string(label.value ?? "") }
        labels[ComposeLabels.project] = .string(project.name)
        labels[ComposeLabels.service] = .string(service.name)
        if let oneOff {
            labels[ComposeLabels.oneoff] = "True"
            labels[ComposeLabels.slug] = .string(oneOff.slug)
        } else {
            labels[ComposeLabels.number] = .string(String(number))
            labels[ComposeLabels.oneoff] = "False"
        }
        let fingerprint = ServiceFingerprint(service, project: project)
        labels[ComposeLabels.configHash] = .string(fingerprint.hash)
        labels[ServiceFingerprint.configLabel] = .string(fingerprint.canonical)
        labels[ComposeLabels.workingDir] = .string(project.workingDirectory)
        labels[ComposeLabels.configFiles] = .string(project.files.joined(separator: ","))
        labels[ComposeLabels.version] = .string(ComposeLabels.composeVersion)
        labels[ComposeLabels.image] = .string(imageID ?? imageReference)
        if let replacing { labels[ComposeLabels.replace] = .string(replacing) }
        labels[ComposeLabels.dependsOn] = .string(service.dependsOn.map { "\($0.service):\($0.condition.rawValue):\($0.restart)" }.joined(separator: ","))
        config["Labels"] = .object(labels)

        // Every port with a binding must also be exposed, or the engine drops the binding silently.
        var exposed: [String: JSONValue] = [:]
        var bindings: [String: [JSONValue]] = [:]
        for (index, port) in service.ports.enumerated() {
            let key = "\(port.target)/\(port.protocol)"
            exposed[key] = .object([:])
            var binding: [String: JSONValue] = ["HostIp": .string(port.hostIP ?? "")]
            // A range onto one port is sent as the port the plan picked (PortAssigner), when it picked one.
            binding["HostPort"] = .string(hostPorts[index].map(String.init) ?? port.published?.description ?? "")
            bindings[key, default: []].append(.object(binding))
        }
        for expose in service.expose {
            for value in expose.ports.lower...expose.ports.upper { exposed["\(value)/\(expose.protocol)"] = .object([:]) }
        }
        // In another container's network namespace the engine refuses exposed ports ("conflicting options: port
        // exposing and the container type network mode"); they stay claims for the check.
        if !exposed.isEmpty, !joinsOther { config["ExposedPorts"] = .object(exposed) }

        if let health = service.healthcheck { config["Healthcheck"] = healthcheck(health, startInterval: supported("1.44")) }

        var host: [String: JSONValue] = [:]
        let primaryNetwork = service.networksByPriority.first.flatMap { project.network(named: $0.name) }
        switch service.networkMode {
        case .host: host["NetworkMode"] = "host"
        case .none?: host["NetworkMode"] = "none"
        case .bridge?: host["NetworkMode"] = "bridge"
        case .container(let name): host["NetworkMode"] = .string("container:\(name)")
        case .service(let name): host["NetworkMode"] = .string("container:\(namespaceContainer(name) ?? name)")
        case .other(let name): host["NetworkMode"] = .string(name)
        case nil: host["NetworkMode"] = .string(primaryNetwork?.engineName ?? "bridge")
        }
        if service.networkMode != .host, !joinsOther, !bindings.isEmpty { host["PortBindings"] = .object(bindings.mapValues { .array($0) }) }
        if let restart = service.restart {
            let parts = restart.split(separator: ":")
            var policy: [String: JSONValue] = ["Name": .string(parts.first.map(String.init) == "no" ? "" : String(parts[0]))]
            if parts.count > 1, let count = Int(parts[1]) { policy["MaximumRetryCount"] = .number(Double(count)) }
            host["RestartPolicy"] = .object(policy)
        }
        var mounts: [JSONValue] = []
        var binds: [JSONValue] = []
        for volume in service.volumes {
            let definition = volume.type == .volume ? volume.source.flatMap { source in project.volumes.first { $0.name == source } } : nil
            // The legacy form where Compose uses it (create.go toBindString): SOURCE:TARGET:rw|ro[,z|Z][,propagation]
            // (a propagation reaches it only for a named volume: on a bind it needs the Mounts API).
            if !volume.requiresMountAPI, let source = definition?.engineName ?? (volume.type == .bind ? volume.source : nil) {
                let mode = [volume.readOnly ? "ro" : "rw", volume.selinux, volume.propagation].compactMap { $0 }.joined(separator: ",")
                binds.append(.string("\(source):\(volume.target):\(mode)"))
                continue
            }
            if volume.type == .image, !supported("1.48") { continue }  // `check` says so (needs-newer-engine)
            var mount: [String: JSONValue] = ["Type": .string(volume.type.rawValue), "Target": .string(volume.target), "ReadOnly": .bool(volume.readOnly)]
            if let source = volume.source { mount["Source"] = .string(definition?.engineName ?? source) }
            if let consistency = volume.consistency { mount["Consistency"] = .string(consistency) }
            switch volume.type {
            case .bind:
                var options: [String: JSONValue] = [:]
                if let propagation = volume.propagation { options["Propagation"] = .string(propagation) }
                if volume.createHostPath == true { options["CreateMountpoint"] = true }
                switch volume.recursive {
                case "disabled"?: options["NonRecursive"] = true
                case "writable"? where supported("1.44"): options["ReadOnlyNonRecursive"] = true
                case "readonly"? where supported("1.44"): options["ReadOnlyForceRecursive"] = true
                default: break
                }
                if !options.isEmpty { mount["BindOptions"] = .object(options) }
            case .volume:
                var options: [String: JSONValue] = [:]
                if volume.noCopy == true { options["NoCopy"] = true }
                if let subpath = volume.subpath, supported("1.45") { options["Subpath"] = .string(subpath) }
                if !volume.volumeLabels.isEmpty {
                    options["Labels"] = ContainerSpec.object(volume.volumeLabels)
                }
                if !options.isEmpty { mount["VolumeOptions"] = .object(options) }
            case .tmpfs:
                var options: [String: JSONValue] = [:]
                if let size = volume.tmpfsSize { options["SizeBytes"] = .number(Double(size)) }
                if let mode = volume.tmpfsMode { options["Mode"] = .number(Double(mode)) }
                if !options.isEmpty { mount["TmpfsOptions"] = .object(options) }
            case .image:
                if let subpath = volume.subpath { mount["ImageOptions"] = ["Subpath": .string(subpath)] }
            default: break
            }
            mounts.append(.object(mount))
        }
        // File-sourced secrets and configs are read-only binds (Compose's create.go); the others are written in before start.
        for mount in FileMount.mounts(of: service, in: project) {
            guard let file = mount.file else { continue }
            mounts.append(["Type": "bind", "Source": .string(file), "Target": .string(mount.target), "ReadOnly": true])
        }
        let declared = Set(service.volumes.filter { $0.source != nil }.map(\.target))
        for volume in inherited where !declared.contains(volume.destination) {
            mounts.removeAll { $0["Target"]?.string == volume.destination }
            mounts.append(["Type": "volume", "Source": .string(volume.name), "Target": .string(volume.destination)])
        }
        if !binds.isEmpty { host["Binds"] = .array(binds) }
        if !mounts.isEmpty { host["Mounts"] = .array(mounts) }
        if let initProcess = service.initProcess { host["Init"] = .bool(initProcess) }
        if service.privileged { host["Privileged"] = true }
        if !service.capAdd.isEmpty { host["CapAdd"] = .array(service.capAdd.map(JSONValue.string)) }
        if !service.capDrop.isEmpty { host["CapDrop"] = .array(service.capDrop.map(JSONValue.string)) }
        if !joinsOther, !service.dns.isEmpty { host["Dns"] = .array(service.dns.map(JSONValue.string)) }
        if !service.extraHosts.isEmpty {
            host["ExtraHosts"] = .array(service.extraHosts.map { .string($0.replacingOccurrences(of: "=", with: ":", options: [], range: $0.range(of: "="))) })
        }
        if service.readOnly { host["ReadonlyRootfs"] = true }
        if !service.sysctls.isEmpty { host["Sysctls"] = .object(Dictionary(uniqueKeysWithValues: service.sysctls.map { ($0.key, JSONValue.string($0.value ?? "")) })) }
        // `/run:size=64m` is the path `/run` with the options `size=64m` (Compose splits at the first colon).
        if !service.tmpfs.isEmpty {
            host["Tmpfs"] = .object(Dictionary(service.tmpfs.map { entry -> (String, JSONValue) in
                guard let colon = entry.firstIndex(of: ":") else { return (entry, .string("")) }
                return (String(entry[..<colon]), .string(String(entry[entry.index(after: colon)...])))
            }, uniquingKeysWith: { a, _ in a }))
        }
        if !service.devices.isEmpty { host["Devices"] = .array(service.devices.map(device)) }
        // `volumes_from: [service[:ro]]` names the service's first container; `container:name` a container.
        let volumesFrom = service.volumesFrom.map { entry -> String in
            var parts = entry.split(separator: ":").map(String.init)
            if parts.first == "container", parts.count > 1 { parts.removeFirst() } else if let first = parts.first { parts[0] = "\(project.name)-\(first)-1" }
            return parts.joined(separator: ":")
        }
        if !volumesFrom.isEmpty { host["VolumesFrom"] = .array(volumesFrom.map(JSONValue.string)) }
        let links = links(service, project: project)
        if !links.isEmpty { host["Links"] = .array(links.map(JSONValue.string)) }
        apply(service.options, to: &host, config: &config)
        if !supported("1.43") { host["Annotations"] = nil }
        if oneOff?.autoRemove == true { host["AutoRemove"] = true }
        config["HostConfig"] = .object(host)

        // Only one network at create (API 1.41); the others are connected before start.
        if service.networkMode == nil, let first = service.networksByPriority.first, let network = primaryNetwork {
            config["NetworkingConfig"] = ["EndpointsConfig": .object([network.engineName: endpoint(first, service: service, project: project, apiVersion: apiVersion,
                                                                                                 aliases: oneOff.map(\.useAliases) ?? true)])]
        }
        return .object(config)
    }

    /// `src[:dst[:perm]]`, the permissions `rwm` by default (Compose's device parsing).
    static func device(_ text: String) -> JSONValue {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let target = parts.count > 1 && parts[1].hasPrefix("/") ? parts[1] : parts[0]
        let permissions = parts.count > 2 ? parts[2] : parts.count == 2 && !parts[1].hasPrefix("/") ? parts[1] : "rwm"
        return ["PathOnHost": .string(parts[0]), "PathInContainer": .string(target), "CgroupPermissions": .string(permissions)]
    }

    /// The container options as the `HostConfig` fields that docker compose sends them as (`pkg/compose/create.go`).
    static func apply(_ options: ContainerOptions, to host: inout [String: JSONValue], config: inout [String: JSONValue]) {
        func number(_ value: Int64?) -> JSONValue? { value.map { .number(Double($0)) } }
        host["NanoCpus"] = number(options.nanoCPUs)
        host["CpuShares"] = number(options.cpuShares)
        host["CpuQuota"] = number(options.cpuQuota)
        host["CpuPeriod"] = number(options.cpuPeriod)
        host["CpusetCpus"] = options.cpuset.map(JSONValue.string)
        host["Memory"] = number(options.memory)
        host["MemoryReservation"] = number(options.memoryReservation)
        host["MemorySwap"] = number(options.memorySwap)
        host["MemorySwappiness"] = number(options.memorySwappiness)
        host["PidsLimit"] = number(options.pidsLimit)
        host["ShmSize"] = number(options.shmSize)
        host["OomScoreAdj"] = number(options.oomScoreAdj)
        host["OomKillDisable"] = options.oomKillDisable.map(JSONValue.bool)
        if !options.ulimits.isEmpty {
            host["Ulimits"] = .array(options.ulimits.map { ["Name": .string($0.name), "Soft": .number(Double($0.soft)), "Hard": .number(Double($0.hard))] })
        }
        if let logging = options.logging {
            var log: [String: JSONValue] = [:]
            if let driver = logging.driver { log["Type"] = .string(driver) }
            if !logging.options.isEmpty { log["Config"] = ContainerSpec.object(logging.options) }
            host["LogConfig"] = .object(log)
        }
        // As Compose's parseSecurityOpts: a seccomp profile goes as its content; systempaths=unconfined unmasks /proc.
        let unconfined = options.securityOpt.contains("systempaths=unconfined")
        let securityOpt = options.securityOpt.filter { $0 != "systempaths=unconfined" }.map { entry in
            entry.hasPrefix("seccomp=") || entry.hasPrefix("seccomp:") ? options.seccompProfiles[String(entry.dropFirst(8))].map { "seccomp=\($0)" } ?? entry : entry
        }
        if !securityOpt.isEmpty { host["SecurityOpt"] = .array(securityOpt.map(JSONValue.string)) }
        if unconfined {
            host["MaskedPaths"] = .array([])
            host["ReadonlyPaths"] = .array([])
        }
        host["Isolation"] = options.isolation.map(JSONValue.string)
        // create.go setBlkio and getDeployResources.
        if let blkio = options.blkio {
            func list(_ entries: [BlkioConfig.Entry], _ key: String) -> JSONValue {
                .array(entries.map { .object(["Path": .string($0.path), key: .number(Double($0.value))]) })
            }
            if let weight = blkio.weight { host["BlkioWeight"] = .number(Double(weight)) }
            if !blkio.weightDevice.isEmpty { host["BlkioWeightDevice"] = list(blkio.weightDevice, "Weight") }
            if !blkio.deviceReadBps.isEmpty { host["BlkioDeviceReadBps"] = list(blkio.deviceReadBps, "Rate") }
            if !blkio.deviceWriteBps.isEmpty { host["BlkioDeviceWriteBps"] = list(blkio.deviceWriteBps, "Rate") }
            if !blkio.deviceReadIOps.isEmpty { host["BlkioDeviceReadIOps"] = list(blkio.deviceReadIOps, "Rate") }
            if !blkio.deviceWriteIOps.isEmpty { host["BlkioDeviceWriteIOps"] = list(blkio.deviceWriteIOps, "Rate") }
        }
        if let period = options.cpuRealtimePeriod { host["CpuRealtimePeriod"] = .number(Double(period)) }
        if let runtime = options.cpuRealtimeRuntime { host["CpuRealtimeRuntime"] = .number(Double(runtime)) }
        if !options.deviceRequests.isEmpty {
            host["DeviceRequests"] = .array(options.deviceRequests.map { request in
                var entry: [String: JSONValue] = ["Driver": .string(request.driver ?? ""), "Count": .number(Double(request.count ?? 0)),
                                                  "DeviceIDs": .array(request.deviceIDs.map(JSONValue.string)),
                                                  "Capabilities": .array([.array(request.capabilities.map(JSONValue.string))])]
                if !request.options.isEmpty {
                    entry["Options"] = ContainerSpec.object(request.options)
                }
                return .object(entry)
            })
        }
        host["PidMode"] = options.pid.map(JSONValue.string)
        host["IpcMode"] = options.ipc.map(JSONValue.string)
        host["UTSMode"] = options.uts.map(JSONValue.string)
        host["CgroupnsMode"] = options.cgroup.map(JSONValue.string)
        host["CgroupParent"] = options.cgroupParent.map(JSONValue.string)
        host["UsernsMode"] = options.userns.map(JSONValue.string)
        host["Runtime"] = options.runtime.map(JSONValue.string)
        if !options.groupAdd.isEmpty { host["GroupAdd"] = .array(options.groupAdd.map(JSONValue.string)) }
        if !options.dnsSearch.isEmpty { host["DnsSearch"] = .array(options.dnsSearch.map(JSONValue.string)) }
        if !options.dnsOptions.isEmpty { host["DnsOptions"] = .array(options.dnsOptions.map(JSONValue.string)) }
        if !options.deviceCgroupRules.isEmpty { host["DeviceCgroupRules"] = .array(options.deviceCgroupRules.map(JSONValue.string)) }
        if !options.storageOpt.isEmpty {
            host["StorageOpt"] = ContainerSpec.object(options.storageOpt)
        }
        if !options.annotations.isEmpty {
            host["Annotations"] = ContainerSpec.object(options.annotations)
        }
        config["MacAddress"] = options.macAddress.map(JSONValue.string)
    }

    /// `links: [service[:alias]]` as `container:alias` (the service's first container, under the alias or the
    /// service's name), and `external_links` as written. Compose sends them in `HostConfig.Links` and in every endpoint,
    /// where a user-defined network turns them into names (create.go:419, :507).
    static func links(_ service: Service, project: ComposeProject) -> [String] {
        service.links.map { entry -> String in
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            return "\(project.name)-\(parts[0])-1:\(parts.count > 1 ? parts[1] : parts[0])"
        } + service.externalLinks.map { $0.contains(":") ? $0 : "\($0):\($0)" }
    }

    /// The endpoint settings for one network: the service name and aliases, its links, and a fixed address if any.
    /// One network's endpoint settings (create.go createEndpointSettings). Fields an older engine lacks are left out;
    /// `check` says so with `needs-newer-engine`.
    /// A one-off container of `run` has no aliases unless `--use-aliases` (`aliases` false).
    public static func endpoint(_ attachment: ServiceNetwork, service: Service, project: ComposeProject, apiVersion: String? = nil,
                                aliases: Bool = true) -> JSONValue {
        func supported(_ version: String) -> Bool { EngineSnapshot.Capabilities.version(apiVersion, atLeast: version) }
        var endpoint: [String: JSONValue] = [:]
        if aliases { endpoint["Aliases"] = .array(([service.name] + attachment.aliases).map(JSONValue.string)) }
        let links = links(service, project: project)
        if !links.isEmpty { endpoint["Links"] = .array(links.map(JSONValue.string)) }
        var ipam: [String: JSONValue] = [:]
        if let v4 = attachment.ipv4Address { ipam["IPv4Address"] = .string(v4) }
        if let v6 = attachment.ipv6Address { ipam["IPv6Address"] = .string(v6) }
        if !attachment.linkLocalIPs.isEmpty { ipam["LinkLocalIPs"] = .array(attachment.linkLocalIPs.map(JSONValue.string)) }
        if !ipam.isEmpty { endpoint["IPAMConfig"] = .object(ipam) }
        if let mac = attachment.macAddress, supported("1.44") { endpoint["MacAddress"] = .string(mac) }
        var driverOptions = ContainerSpec.dictionary(attachment.driverOptions)
        if let name = attachment.interfaceName, supported("1.49") { driverOptions["com.docker.network.endpoint.ifname"] = .string(name) }
        if !driverOptions.isEmpty { endpoint["DriverOpts"] = .object(driverOptions) }
        if let priority = attachment.gatewayPriority, supported("1.48") { endpoint["GwPriority"] = .number(Double(priority)) }
        return .object(endpoint)
    }
}
