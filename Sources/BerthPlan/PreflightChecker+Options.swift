import BerthDiagnostics
import BerthSpec

/// Container options the engine would refuse at create or start, found first, each at its line. Every rule here was
/// seen on engine 20.10 (docs/engines-and-registries.md has the answers).
extension PreflightChecker {
    /// Sysctls the engine lets a container set: namespaced ones (runc's list, which the daemon applies too).
    static func isNamespacedSysctl(_ name: String) -> Bool {
        ["kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni",
         "kernel.shm_rmid_forced"].contains(name) || name.hasPrefix("fs.mqueue.") || name.hasPrefix("net.")
    }

    func optionChecks() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let capabilities = options.engine.capabilities
        // A bind-backed local volume: "missing required option: device" (create), and a missing folder fails at start.
        for volume in project.volumes where HostSnapshot.bindBacked(volume) {
            guard let device = volume.driverOptions.first(where: { $0.key == "device" })?.value, !device.isEmpty else {
                diagnostics.append(.error("missing-path", "volume '\(volume.name)' binds a host folder (o: bind) but has no driver_opts.device", at: volume.location))
                continue
            }
            if options.hostPaths[device] == false {
                diagnostics.append(.error("missing-path", "volume '\(volume.name)': driver_opts.device '\(device)' does not exist on the host", at: volume.location))
            }
        }
        var warnedNetworks = Set<String>()
        for service in project.services {
            let o = service.options
            func at(_ key: String) -> SourceLocation { o.locations[key] ?? service.location }
            func error(_ code: String, _ key: String, _ message: String) {
                diagnostics.append(.error(code, "service '\(service.name)': \(message)", at: at(key), service: service.name))
            }
            // A daemon without CAP_SYS_RESOURCE cannot raise a limit above its own, nor lower oom_score_adj (start).
            if let process = options.engineProcess, !process.canRaiseLimits {
                for ulimit in o.ulimits {
                    guard let limit = process.hardLimits[ulimit.name] ?? nil, max(ulimit.soft, ulimit.hard) > limit else { continue }
                    error("engine-limit", "ulimits", "ulimits.\(ulimit.name) \(max(ulimit.soft, ulimit.hard)) is above the engine's own hard limit (\(limit)), which it cannot raise without CAP_SYS_RESOURCE: the container would fail to start")
                }
                if let adjust = o.oomScoreAdj, adjust < Int64(process.oomScoreAdj) {
                    error("engine-limit", "oom_score_adj", "oom_score_adj \(adjust) is below the engine's own (\(process.oomScoreAdj)), which it cannot lower without CAP_SYS_RESOURCE: the container would fail to start")
                }
            }
            // "Minimum memory limit allowed is 6MB" (create).
            let minimum: Int64 = 6 * 1_048_576
            if let memory = o.memory, memory > 0, memory < minimum { error("engine-limit", "mem_limit", "a memory limit below 6 MB is refused by the engine (\(memory) bytes)") }
            if let reservation = o.memoryReservation, reservation > 0, reservation < minimum {
                error("engine-limit", "mem_reservation", "a memory reservation below 6 MB is refused by the engine (\(reservation) bytes)")
            }
            if let capabilities {
                // "Range of CPUs is from 0.01 to N.00, as there are only N CPUs available" (create).
                if let nano = o.nanoCPUs, capabilities.cpus > 0, nano > Int64(capabilities.cpus) * 1_000_000_000 || nano < 10_000_000 {
                    error("engine-limit", "cpus", "cpus must be between 0.01 and \(capabilities.cpus), the engine's CPUs (not this machine's nproc)")
                }
                if let memory = o.memory, capabilities.memory > 0, memory > capabilities.memory {
                    diagnostics.append(.warning("engine-limit", "service '\(service.name)': mem_limit is above the engine host's \(capabilities.memory / 1_048_576) MB",
                                                at: at("mem_limit"), service: service.name))
                }
                // "--storage-opt is supported only for overlay over xfs with 'pquota' mount option" (create; verified
                // with overlay2 on extfs here).
                if !o.storageOpt.isEmpty, capabilities.storage.hasPrefix("overlay"), !capabilities.storage.hasSuffix("/xfs") {
                    error("engine-limit", "storage_opt", "storage_opt needs the overlay2 driver on xfs (with pquota); this engine's storage is \(capabilities.storage): the container would fail to be created")
                }
                // "Unknown runtime specified X" (create).
                if let runtime = o.runtime, !capabilities.runtimes.isEmpty, !capabilities.runtimes.contains(runtime) {
                    error("unknown-runtime", "runtime", "the engine has no runtime '\(runtime)' (it has \(capabilities.runtimes.joined(separator: ", ")))")
                }
                // "error looking up logging plugin X: plugin not found" (create). `none` is built into the daemon and
                // missing from its list (`docker run --log-driver none` works on this engine).
                if let driver = o.logging?.driver, driver != "none", !capabilities.logDrivers.isEmpty, !capabilities.logDrivers.contains(driver), !driver.contains("/") {
                    error("log-driver-unavailable", "logging", "the engine has no log driver '\(driver)' (it has \(capabilities.logDrivers.joined(separator: ", ")))")
                }
                // Keys that need a newer engine API than the one that answers: never a silent drop.
                func needsNewer(_ subject: String, _ key: String, suffix place: String = "", version: String, at location: SourceLocation?, service: String?) {
                    guard !capabilities.supports(version) else { return }
                    diagnostics.append(.warning("needs-newer-engine", "\(subject): '\(key)'\(place) needs engine API \(version); this engine speaks \(capabilities.apiVersion), so it is not sent",
                                                at: location, service: service))
                }
                let subject = "service '\(service.name)'"
                if !o.annotations.isEmpty { needsNewer(subject, "annotations", version: "1.43", at: at("annotations"), service: service.name) }
                if service.healthcheck?.startInterval != nil {
                    needsNewer(subject, "healthcheck.start_interval", version: "1.44", at: service.healthcheckLocation ?? service.location, service: service.name)
                }
                for network in service.networks {
                    // A network's own keys, once (at the first service on it).
                    if let definition = project.network(named: network.name), definition.enableIPv4 != nil, warnedNetworks.insert(network.name).inserted {
                        needsNewer("network '\(definition.name)'", "enable_ipv4", version: "1.47", at: definition.enableIPv4Location ?? definition.location, service: nil)
                    }
                    for (key, version, used) in [("mac_address", "1.44", network.macAddress != nil), ("gw_priority", "1.48", network.gatewayPriority != nil),
                                                 ("interface_name", "1.49", network.interfaceName != nil)] where used {
                        needsNewer(subject, key, suffix: " on network '\(network.name)'", version: version, at: network.keyLocations[key] ?? network.location, service: service.name)
                    }
                }
                for volume in service.volumes {
                    let keys: [(Bool, String, String)] = [
                        (volume.recursive == "writable" || volume.recursive == "readonly", "bind.recursive: \(volume.recursive ?? "")", "1.44"),
                        (volume.subpath != nil && volume.type == .volume, "volume.subpath", "1.45"),
                        (volume.type == .image, "type: image", "1.48"),
                    ]
                    for (used, key, version) in keys where used {
                        needsNewer(subject, key, suffix: " on \(volume.target)", version: version, at: volume.location, service: service.name)
                    }
                }
            }
            // "conflicting options: hostname and the UTS mode" (create).
            if o.uts == "host", service.hostname != nil {
                error("option-conflict", "uts", "uts: host and hostname cannot go together: the container takes the host's name")
            }
            // The daemon refuses sysctls outside the container's namespaces; a net.* one cannot be set in the host's
            // network namespace, nor kernel.* IPC ones in the host's IPC namespace (start).
            for sysctl in service.sysctls {
                if !Self.isNamespacedSysctl(sysctl.key) {
                    error("sysctl-refused", "sysctls", "sysctl '\(sysctl.key)' is not namespaced: the engine refuses it for any container")
                } else if sysctl.key.hasPrefix("net."), service.networkMode == .host {
                    error("sysctl-refused", "sysctls", "sysctl '\(sysctl.key)' cannot be set on the host network")
                } else if sysctl.key.hasPrefix("kernel."), o.ipc == "host" {
                    error("sysctl-refused", "sysctls", "sysctl '\(sysctl.key)' cannot be set with ipc: host")
                }
            }
            // Host paths that must exist (only known when the engine is on this host).
            for device in service.devices {
                let path = String(device.split(separator: ":").first ?? "")
                if options.hostPaths[path] == false { error("missing-path", "devices", "device '\(path)' does not exist on the host") }
            }
            // A bind through the Mounts API needs its source: `create_host_path: false` says so, and an engine before
            // API 1.42 ignores CreateMountpoint (verified on 1.41: "bind source path does not exist"). The legacy form
            // (short syntax without a propagation) has the engine create it.
            let createsMountpoint = capabilities.map { $0.supports("1.42") } ?? true
            for volume in service.volumes where volume.type == .bind && volume.requiresMountAPI && (volume.createHostPath == false || !createsMountpoint) {
                if let source = volume.source, options.hostPaths[source] == false {
                    let why = volume.createHostPath == false ? "create_host_path is false" : "this engine (API \(capabilities?.apiVersion ?? "?")) does not create a missing source for a mount with \(volume.propagation != nil ? "a propagation" : "'recursive'")"
                    diagnostics.append(.error("missing-path", "service '\(service.name)': bind source '\(source)' does not exist and \(why)",
                                              at: volume.location, service: service.name))
                }
            }
            for path in o.blkio?.paths ?? [] where options.hostPaths[path] == false {
                error("missing-path", "blkio_config", "blkio_config names '\(path)', which is not a block device on the host: the container would fail to start")
            }
            if o.deviceRequests.contains(where: \.needsGPUDriver), HostSnapshot.nvidiaHookPaths.allSatisfy({ options.hostPaths[$0] == false }) {
                error("device-driver-unavailable", "gpus", "the engine has no GPU device driver (it registers one only when \(HostSnapshot.nvidiaHook) is installed): the container would fail to start")
            }
            if let runtime = o.cpuRealtimeRuntime, runtime > 0, o.cgroupParent == nil, let budget = options.realtimeBudget, runtime > budget {
                error("engine-limit", "cpu_rt_runtime", budget == 0
                    ? "cpu_rt_runtime \(runtime) needs a real-time CPU budget in the engine's cgroup, which has none (cgroup v2, or the daemon's --cpu-rt-runtime is not set): the container would fail to start"
                    : "cpu_rt_runtime \(runtime) is above the real-time budget of the engine's cgroup (\(budget) µs): the container would fail to start")
            }
            // A shared or slave propagation needs its source on a mount that is shared (or, for slave, a slave) (start).
            for volume in service.volumes where volume.type == .bind {
                guard let wanted = volume.propagation, let source = volume.source, let mount = options.mountPropagation[source] else { continue }
                let needs = wanted.hasSuffix("shared") ? ["shared"] : wanted.hasSuffix("slave") ? ["shared", "slave"] : []
                guard !needs.isEmpty, !needs.contains(mount.propagation) else { continue }
                diagnostics.append(.error("mount-propagation", "service '\(service.name)': a '\(wanted)' bind of '\(source)' needs its mount (\(mount.mountPoint)) to be \(needs.joined(separator: " or ")), but it is \(mount.propagation): the container would fail to start",
                                          at: volume.location, service: service.name))
            }
            if let driver = o.logging?.driver, driver == "syslog" || driver == "journald",
               o.logging?.options.contains(where: { $0.key == "syslog-address" }) != true {
                let socket = driver == "syslog" ? HostSnapshot.syslogSocket : HostSnapshot.journaldSocket
                if options.hostPaths[socket] == false {
                    error("log-driver-unavailable", "logging", "the \(driver) log driver needs \(socket), which this host does not have: the container would fail to start")
                }
            }
            // `condition: service_healthy` on a service without a health check never becomes true.
            for dependency in service.dependsOn where dependency.condition == .healthy {
                guard let target = project.service(named: dependency.service) else { continue }
                if target.healthcheck?.test?.first == "NONE" || target.healthcheck?.test == nil {
                    let image = target.image.flatMap { options.engine.images[$0] }
                    if target.healthcheck?.test?.first == "NONE" || image?.hasHealthcheck == false {
                        diagnostics.append(.error("missing-healthcheck", "service '\(service.name)' waits for '\(target.name)' to be healthy, but '\(target.name)' has no health check (neither in the file nor in its image)",
                                                  at: dependency.location, service: service.name))
                    } else if image == nil {
                        diagnostics.append(.warning("missing-healthcheck", "service '\(service.name)' waits for '\(target.name)' to be healthy; '\(target.name)' has no health check in the file, and its image is not present to tell",
                                                    at: dependency.location, service: service.name))
                    }
                }
            }
        }
        return diagnostics
    }
}
