import BerthDiagnostics
import BerthYAML
import Foundation

/// A service: its keys, build, env files, references, networks, dependencies and healthcheck.
extension ComposeDecoder {
    mutating func decodeService(name: String, _ node: YAMLNode, key: YAMLNode) -> Service? {
        var service = Service(name: name, location: key.location)
        if node.isNull { return service }
        guard node.mapping != nil else {
            error("invalid-type", "service '\(name)' must be a mapping, not \(node.kindName)", node, service: name)
            return nil
        }
        let before = diagnostics.count
        checkSection(node, ComposeKeys.service, context: "service '\(name)'", service: name)
        service.options = decodeOptions(node, service: name)
        service.swarm = decodeSwarmDeploy(node, name: name)
        for pair in node.mapping ?? [] { if let key = pair.key.scalarText { service.writtenKeys[key] = pair.key.location } }
        service.ignoredLints = ignoredLints(node)
        if let socket = node["use_api_socket"], bool(socket, "use_api_socket") == true { service.usesAPISocket = socket.location }
        if let environment = node["environment"] {
            for pair in environment.mapping ?? [] where !interpolated.contains(pair.value.location) && !pair.value.isNull {
                if let key = pair.key.scalarText { service.literalEnvironment[key] = pair.value.location }
            }
            for item in environment.sequence ?? [] where !interpolated.contains(item.location) {
                if let text = item.scalarText, let equals = text.firstIndex(of: "=") { service.literalEnvironment[String(text[..<equals])] = item.location }
            }
        }
        service.image = string(node["image"], "image")
        service.imageLocation = node["image"]?.location
        if let build = node["build"] { service.build = decodeBuild(build) }
        service.command = command(node["command"], "command")
        service.entrypoint = command(node["entrypoint"], "entrypoint")

        // env_file first, then environment on top of it.
        var environment: [KeyValue] = []
        for envFile in envFiles(node["env_file"]) {
            for entry in envFile { environment.removeAll { $0.key == entry.key }; environment.append(entry) }
        }
        for entry in keyValues(node["environment"], "environment") {
            environment.removeAll { $0.key == entry.key }
            environment.append(entry.value == nil ? KeyValue(entry.key, lookup(entry.key)) : entry)
        }
        service.environment = environment

        for item in node["ports"].flatMap({ $0.sequence ?? nil }) ?? [] { service.ports += port(item) }
        if let ports = node["ports"], ports.sequence == nil, !ports.isNull {
            error("invalid-type", "'ports' must be a list, not \(ports.kindName)", ports, service: name)
        }
        for item in sequence(node["expose"], "expose") {
            guard let text = string(item, "expose") else { continue }
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let proto = parts.count > 1 ? parts[1].lowercased() : "tcp"
            if let range = PortSyntax.parseRange(parts[0]), range.lower > 0, ["tcp", "udp", "sctp"].contains(proto) {
                service.expose.append(ExposedPort(ports: range, protocol: proto, location: item.location))
            } else {
                error("invalid-port", "invalid exposed port '\(text)'", item, service: name)
            }
        }
        if let modeNode = node["network_mode"], let text = string(modeNode, "network_mode") {
            service.networkMode = NetworkMode(text)
            service.networkModeLocation = modeNode.location
        }
        if let networks = node["networks"], !networks.isNull {
            service.networksLocation = node.pair("networks")?.key.location
            service.networks = decodeServiceNetworks(networks, service: name)
        }
        service.dependsOn = decodeDependsOn(node["depends_on"], service: name)
        service.attach = bool(node["attach"], "attach") ?? true
        service.postStart = hooks(node["post_start"], "post_start")
        service.preStop = hooks(node["pre_stop"], "pre_stop")
        if let health = node["healthcheck"] {
            service.healthcheck = decodeHealthcheck(health)
            service.healthcheckLocation = health.location
        }
        service.restart = string(node["restart"], "restart")
        if let restart = service.restart, let restartNode = node["restart"] {
            let policy = restart.split(separator: ":").first.map(String.init) ?? restart
            if !["no", "always", "on-failure", "unless-stopped"].contains(policy) {
                error("invalid-value", "invalid restart policy '\(restart)' (no, always, on-failure[:N] or unless-stopped)", restartNode, service: name)
            }
        }
        if let policy = node["deploy"]?["restart_policy"], !policy.isNull { service.restart = deployRestart(policy, service: name) ?? service.restart }
        for item in sequence(node["volumes"], "volumes") {
            if let mount = volume(item, service: name) { service.volumes.append(mount) }
        }
        service.volumesFrom = stringList(node["volumes_from"], "volumes_from")
        service.links = stringList(node["links"], "links")
        service.externalLinks = stringList(node["external_links"], "external_links")
        // `label_file` first (KEY=VALUE lines, as env files are read), then `labels` over it.
        var labels: [KeyValue] = []
        for file in stringList(node["label_file"], "label_file", allowString: true) {
            let absolute = absolutePath(file)
            guard let data = FileManager.default.contents(atPath: absolute) else {
                error("file-not-found", "label file '\(file)' not found (at \(absolute))", node["label_file"]!, service: name)
                continue
            }
            let (entries, errors) = EnvFile.parse(String(decoding: data, as: UTF8.self), lookup: lookup)
            for parseError in errors {
                diagnostics.append(.error(parseError.code, parseError.message, at: SourceLocation(file: absolute, line: parseError.line, column: 1)))
            }
            for entry in entries { labels.removeAll { $0.key == entry.key }; labels.append(KeyValue(entry.key, entry.value ?? "")) }
        }
        for label in keyValues(node["labels"], "labels") { labels.removeAll { $0.key == label.key }; labels.append(label) }
        service.labels = labels
        if let containerName = node["container_name"] {
            service.containerName = string(containerName, "container_name")
            service.containerNameLocation = containerName.location
        }
        if let hostname = node["hostname"] {
            service.hostname = string(hostname, "hostname")
            service.hostnameLocation = hostname.location
        }
        service.domainname = string(node["domainname"], "domainname")
        service.workingDir = string(node["working_dir"], "working_dir")
        service.user = string(node["user"], "user")
        service.stopSignal = string(node["stop_signal"], "stop_signal")
        service.stopGracePeriod = duration(node["stop_grace_period"], "stop_grace_period")
        service.profiles = stringList(node["profiles"], "profiles")
        if let scale = node["scale"] {
            service.replicas = int(scale, "scale") ?? 1
            service.replicasLocation = scale.location
        }
        if let deploy = node["deploy"] {
            if let replicas = deploy["replicas"] {
                service.replicas = int(replicas, "deploy.replicas") ?? 1
                service.replicasLocation = replicas.location
            }
        }
        if service.replicas < 0, let location = service.replicasLocation {
            diagnostics.append(.error("invalid-value", "the number of replicas cannot be negative", at: location, service: name))
        }
        if let privileged = node["privileged"] {
            service.privileged = bool(privileged, "privileged") ?? false
            service.privilegedLocation = privileged.location
        }
        service.capAdd = stringList(node["cap_add"], "cap_add")
        service.capAddLocation = node["cap_add"]?.location
        service.capDrop = stringList(node["cap_drop"], "cap_drop")
        service.initProcess = bool(node["init"], "init")
        service.tty = bool(node["tty"], "tty") ?? false
        service.stdinOpen = bool(node["stdin_open"], "stdin_open") ?? false
        service.readOnly = bool(node["read_only"], "read_only") ?? false
        // Both `host=ip` and `host:ip` are accepted; a mapping becomes a list in key order.
        service.extraHosts = stringList(node["extra_hosts"].map(ComposeMerger.hostList), "extra_hosts").map { entry in
            entry.contains("=") ? entry : entry.replacingOccurrences(of: ":", with: "=", options: [], range: entry.range(of: ":"))
        }
        service.dns = stringList(node["dns"], "dns", allowString: true)
        service.dnsLocation = node["dns"]?.location
        service.secrets = fileReferences(node["secrets"], "secrets")
        service.configs = fileReferences(node["configs"], "configs")
        service.pullPolicy = string(node["pull_policy"], "pull_policy")
        if let policy = service.pullPolicy, PullPolicy(policy) == nil, let at = node["pull_policy"]?.location {
            diagnostics.append(.error("invalid-value", "pull_policy '\(policy)' is not one of always, never, missing, if_not_present, build, daily, weekly or every_<duration> (such as every_12h)", at: at, service: name))
        }
        service.platform = string(node["platform"], "platform")
        // compose-go: "service.platform should be part of the service.build.platforms", at both lines.
        if let platform = service.platform, let platforms = node["build"]?["platforms"], let listed = platforms.sequence,
           !listed.compactMap(\.scalarText).contains(platform), let at = node["platform"] {
            for place in [at, platforms] {
                error("invalid-value", "platform '\(platform)' is not among build.platforms (\(listed.compactMap(\.scalarText).joined(separator: ", ")))", place, service: name)
            }
        }
        service.sysctls = keyValues(node["sysctls"], "sysctls")
        service.tmpfs = stringList(node["tmpfs"], "tmpfs", allowString: true)
        service.devices = sequence(node["devices"], "devices").compactMap { $0.scalarText ?? $0["source"]?.scalarText }
        if service.image == nil && service.build == nil {
            diagnostics.append(.error("missing-image", "service '\(name)' has neither an image nor a build context", at: key.location, service: name))
        }
        for index in before..<diagnostics.count where diagnostics[index].service == nil { diagnostics[index].service = name }
        return service
    }

    mutating func decodeBuild(_ node: YAMLNode) -> BuildSpec? {
        if let context = node.scalarText {
            return BuildSpec(context: absolutePath(context), dockerfile: nil, args: [], target: nil, labels: [])
        }
        guard node.mapping != nil else {
            error("invalid-type", "'build' must be a string or a mapping, not \(node.kindName)", node)
            return nil
        }
        checkSection(node, ComposeKeys.build, context: "build")
        var build = BuildSpec(
            context: absolutePath(string(node["context"], "build.context") ?? "."),
            dockerfile: string(node["dockerfile"], "build.dockerfile"),
            args: keyValues(node["args"], "build.args"),
            target: string(node["target"], "build.target"),
            labels: keyValues(node["labels"], "build.labels"))
        build.noCache = bool(node["no_cache"], "build.no_cache") ?? false
        build.pull = bool(node["pull"], "build.pull") ?? false
        build.dockerfileInline = string(node["dockerfile_inline"], "build.dockerfile_inline")
        if let file = node["dockerfile"], let inline = node["dockerfile_inline"] {
            // compose-go: "dockerfile and dockerfile_inline are mutually exclusive", at both lines.
            for at in [file, inline] { error("invalid-value", "'build.dockerfile' and 'build.dockerfile_inline' cannot both be set", at) }
        }
        build.cacheFrom = stringList(node["cache_from"], "build.cache_from")
        build.network = string(node["network"], "build.network")
        if let size = node["shm_size"], !size.isNull { build.shmSize = byteSize(size, "build.shm_size", example: "256m") }
        if let hosts = node["extra_hosts"], !hosts.isNull {
            // A list of host:ip (or host=ip), or a mapping of host to ip, as for the service's extra_hosts.
            build.extraHosts = hosts.mapping != nil
                ? keyValues(hosts, "build.extra_hosts").map { "\($0.key):\($0.value ?? "")" }
                : stringList(hosts, "build.extra_hosts").map { $0.replacingOccurrences(of: "=", with: ":", options: [], range: $0.range(of: "=")) }
        }
        build.tags = stringList(node["tags"], "build.tags")
        build.ulimits = ulimits(node["ulimits"], service: "")
        if let value = node["isolation"] { build.isolation = isolation(value, "build.isolation") }
        return build
    }

    /// Reads the `env_file` entries; a missing required file is an error at its entry.
    mutating func envFiles(_ node: YAMLNode?) -> [[KeyValue]] {
        guard let node, !node.isNull else { return [] }
        let items = node.sequence ?? [node]
        var result: [[KeyValue]] = []
        for item in items {
            var path: String?
            var required = true
            var raw = false
            if let text = item.scalarText {
                path = text
            } else if item.mapping != nil {
                checkKeys(item, known: ["path", "required", "format"], context: "an env_file entry")
                path = string(item["path"], "env_file.path")
                required = bool(item["required"], "env_file.required") ?? true
                if let format = string(item["format"], "env_file.format") {
                    // `raw`: each line is KEY=VALUE as written, with no unquoting and no interpolation.
                    if format == "raw" { raw = true } else if let node = item["format"] {
                        error("invalid-value", "env_file format must be 'raw' (or left out), not '\(format)'", node)
                    }
                }
            }
            guard let path else { continue }
            let absolute = absolutePath(path)
            guard let data = FileManager.default.contents(atPath: absolute) else {
                if required {
                    error("missing-env-file", "env file '\(path)' not found (at \(absolute))", item)
                }
                continue
            }
            let text = String(decoding: data, as: UTF8.self)
            let (entries, errors) = raw ? EnvFile.parseRaw(text) : EnvFile.parse(text, lookup: lookup)
            for parseError in errors {
                diagnostics.append(.error(parseError.code, parseError.message,
                                          at: SourceLocation(file: absolute, line: parseError.line, column: 1)))
            }
            result.append(entries.map { KeyValue($0.key, $0.value ?? lookup($0.key)) })
        }
        return result
    }

    mutating func fileReferences(_ node: YAMLNode?, _ field: String) -> [FileReference] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.sequence else {
            error("invalid-type", "'\(field)' must be a list, not \(node.kindName)", node)
            return []
        }
        return items.compactMap { item in
            if let text = item.scalarText { return FileReference(source: text, location: item.location) }
            checkKeys(item, known: ["source", "target", "uid", "gid", "mode"], context: "an entry of '\(field)'")
            guard let source = string(item["source"], "\(field).source") else {
                error("invalid-type", "an entry of '\(field)' needs 'source'", item)
                return nil
            }
            var mode: Int?
            if let modeNode = item["mode"], let text = modeNode.scalarText {
                // `0440` is octal, as Compose (YAML 1.1) reads it; `0o440` too.
                let digits = text.hasPrefix("0o") ? String(text.dropFirst(2)) : text
                mode = text.hasPrefix("0") ? Int(digits, radix: 8) : Int(text)
                if mode == nil { error("invalid-value", "invalid file mode '\(text)'", modeNode) }
            }
            return FileReference(source: source, target: string(item["target"], "target"), uid: string(item["uid"], "uid"),
                                 gid: string(item["gid"], "gid"), mode: mode, location: item.location)
        }
    }

    mutating func decodeServiceNetworks(_ node: YAMLNode, service: String) -> [ServiceNetwork] {
        if let items = node.sequence {
            return items.compactMap { item in
                string(item, "networks").map {
                    ServiceNetwork(name: $0, aliases: [], ipv4Address: nil, ipv6Address: nil, priority: nil, location: item.location)
                }
            }
        }
        return mapping(node, "networks").compactMap { pair in
            guard let name = pair.key.scalarText else { return nil }
            var network = ServiceNetwork(name: name, aliases: [], ipv4Address: nil, ipv6Address: nil, priority: nil, location: pair.key.location)
            let value = pair.value
            if value.isNull { return network }
            checkKeys(value, known: ["aliases", "ipv4_address", "ipv6_address", "link_local_ips", "mac_address", "priority", "driver_opts", "gw_priority", "interface_name"],
                      context: "network '\(name)' of service '\(service)'")
            network.aliases = stringList(value["aliases"], "aliases")
            network.ipv4Address = string(value["ipv4_address"], "ipv4_address")
            network.ipv4Location = value["ipv4_address"]?.location
            if let address = network.ipv4Address, !IPAddress.isIPv4(address), let at = value["ipv4_address"] {
                error("invalid-address", "invalid IPv4 address '\(address)'", at)
            }
            network.ipv6Address = string(value["ipv6_address"], "ipv6_address")
            network.priority = int(value["priority"], "priority")
            network.linkLocalIPs = stringList(value["link_local_ips"], "link_local_ips")
            network.macAddress = string(value["mac_address"], "mac_address")
            network.driverOptions = keyValues(value["driver_opts"], "driver_opts")
            network.gatewayPriority = int(value["gw_priority"], "gw_priority")
            network.interfaceName = string(value["interface_name"], "interface_name")
            for pair in value.mapping ?? [] { if let key = pair.key.scalarText { network.keyLocations[key] = pair.key.location } }
            return network
        }
    }

    mutating func decodeDependsOn(_ node: YAMLNode?, service: String) -> [Dependency] {
        guard let node, !node.isNull else { return [] }
        if let items = node.sequence {
            return items.compactMap { item in
                string(item, "depends_on").map {
                    Dependency(service: $0, condition: .started, restart: false, required: true, location: item.location)
                }
            }
        }
        return mapping(node, "depends_on").compactMap { pair in
            guard let name = pair.key.scalarText else { return nil }
            var dependency = Dependency(service: name, condition: .started, restart: false, required: true, location: pair.key.location)
            checkKeys(pair.value, known: ["condition", "restart", "required"], context: "depends_on '\(name)'")
            if let conditionNode = pair.value["condition"], let text = string(conditionNode, "condition") {
                if let condition = DependencyCondition(rawValue: text) {
                    dependency.condition = condition
                } else {
                    error("invalid-value", "invalid condition '\(text)'\(Suggestion.didYouMean(text, in: ["service_started", "service_healthy", "service_completed_successfully"]))", conditionNode)
                }
            }
            dependency.restart = bool(pair.value["restart"], "restart") ?? false
            dependency.required = bool(pair.value["required"], "required") ?? true
            return dependency
        }
    }

    mutating func decodeHealthcheck(_ node: YAMLNode) -> Healthcheck? {
        guard node.mapping != nil else {
            error("invalid-type", "'healthcheck' must be a mapping, not \(node.kindName)", node)
            return nil
        }
        checkSection(node, ComposeKeys.healthcheck, context: "healthcheck")
        var test: [String]?
        if let testNode = node["test"] {
            if let text = testNode.scalarText {
                test = text == "NONE" ? ["NONE"] : ["CMD-SHELL", text]
            } else {
                test = stringList(testNode, "test")
                if let first = test?.first, !["NONE", "CMD", "CMD-SHELL"].contains(first) {
                    error("invalid-value", "a healthcheck test list must start with NONE, CMD or CMD-SHELL, not '\(first)'", testNode)
                }
            }
        }
        let disable = bool(node["disable"], "disable") ?? false
        // "Retries in Healthcheck cannot be negative" (the engine, at create).
        if let retries = node["retries"], let value = retries.scalarText.flatMap({ Int($0) }), value < 0 {
            error("invalid-value", "'healthcheck.retries' cannot be negative, not \(value)", retries)
        }
        return Healthcheck(test: disable ? ["NONE"] : test, interval: duration(node["interval"], "interval"),
                           timeout: duration(node["timeout"], "timeout"), retries: int(node["retries"], "retries"),
                           startPeriod: duration(node["start_period"], "start_period"),
                           startInterval: duration(node["start_interval"], "start_interval"), disable: disable)
    }

    /// A list of hooks: `command` (a string, split as a shell would, or a list), `user`, `privileged`, `working_dir`,
    /// `environment`.
    mutating func hooks(_ node: YAMLNode?, _ key: String) -> [LifecycleHook] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.sequence else {
            error("invalid-type", "'\(key)' must be a list of hooks, not \(node.kindName)", node)
            return []
        }
        return items.compactMap { item in
            guard item.mapping != nil else {
                error("invalid-type", "each '\(key)' hook must be a mapping, not \(item.kindName)", item)
                return nil
            }
            checkKeys(item, known: ["command", "user", "privileged", "working_dir", "environment"], context: "a '\(key)' hook")
            guard let command = command(item["command"], "\(key).command"), !command.isEmpty else {
                error("invalid-value", "a '\(key)' hook needs a 'command'", item)
                return nil
            }
            return LifecycleHook(command: command, user: string(item["user"], "user"), privileged: bool(item["privileged"], "privileged") ?? false,
                                 workingDir: string(item["working_dir"], "working_dir"), environment: keyValues(item["environment"], "environment"),
                                 location: item.location)
        }
    }
}
