import BerthDiagnostics
import BerthYAML
import Foundation

/// Turns a merged, interpolated Compose document into the typed model, collecting every problem as a diagnostic.
struct ComposeDecoder {
    var diagnostics: [Diagnostic] = []
    let projectName: String
    let workingDirectory: String
    let lookup: @Sendable (String) -> String?

    static let topLevelKeys: Set<String> = ["version", "name", "services", "networks", "volumes", "secrets", "configs", "include", "models"]
    static let serviceKeys: Set<String> = [
        "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command",
        "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
        "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
        "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint", "env_file",
        "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck",
        "hostname", "image", "init", "ipc", "isolation", "labels", "label_file", "links", "logging", "mac_address",
        "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode", "networks",
        "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop",
        "privileged", "profiles", "provider", "pull_policy", "pull_refresh_after", "read_only", "restart", "runtime",
        "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt",
        "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from",
        "working_dir",
    ]
    static let networkKeys: Set<String> = ["driver", "driver_opts", "ipam", "internal", "external", "name", "enable_ipv4", "enable_ipv6", "labels", "attachable"]
    static let volumeKeys: Set<String> = ["driver", "driver_opts", "external", "name", "labels"]
    static let fileObjectKeys: Set<String> = ["file", "environment", "content", "external", "name", "labels", "driver", "driver_opts", "template_driver"]

    // MARK: scalar helpers

    mutating func error(_ code: String, _ message: String, _ node: YAMLNode, service: String? = nil) {
        diagnostics.append(.error(code, message, at: node.location, service: service))
    }

    mutating func string(_ node: YAMLNode?, _ field: String) -> String? {
        guard let node, !node.isNull else { return nil }
        guard let text = node.scalarText else {
            error("invalid-type", "'\(field)' must be a string, not \(node.kindName)", node)
            return nil
        }
        return text
    }

    mutating func int(_ node: YAMLNode?, _ field: String) -> Int? {
        guard let node, !node.isNull else { return nil }
        if let text = node.scalarText, let value = Int(text.trimmingSpaces) { return value }
        error("invalid-type", "'\(field)' must be an integer, not \(node.scalarText.map { "'\($0)'" } ?? node.kindName)", node)
        return nil
    }

    mutating func bool(_ node: YAMLNode?, _ field: String) -> Bool? {
        guard let node, !node.isNull else { return nil }
        switch node.scalarText?.lowercased() {
        case "true", "yes", "on", "y": return true
        case "false", "no", "off", "n": return false
        default:
            error("invalid-type", "'\(field)' must be a boolean (true or false), not \(node.scalarText.map { "'\($0)'" } ?? node.kindName)", node)
            return nil
        }
    }

    mutating func duration(_ node: YAMLNode?, _ field: String) -> Duration? {
        guard let text = string(node, field), let node else { return nil }
        guard let value = DurationParser.parse(text) else {
            error("invalid-duration", "'\(field)' has an invalid duration '\(text)' (expected something like '1m30s', '10s' or '500ms')", node)
            return nil
        }
        return value
    }

    /// A list of strings, or a single string when `allowString` (for `dns: 8.8.8.8`).
    mutating func stringList(_ node: YAMLNode?, _ field: String, allowString: Bool = false) -> [String] {
        guard let node, !node.isNull else { return [] }
        if let items = node.sequence { return items.compactMap { string($0, field) } }
        if allowString, let text = node.scalarText { return [text] }
        error("invalid-type", "'\(field)' must be a list\(allowString ? " or a string" : ""), not \(node.kindName)", node)
        return []
    }

    /// A command: a string (split like a shell would) or a list.
    mutating func command(_ node: YAMLNode?, _ field: String) -> [String]? {
        guard let node, !node.isNull else { return nil }
        if let text = node.scalarText { return ShellWords.split(text) }
        return stringList(node, field)
    }

    /// `KEY=VALUE` list or mapping.
    mutating func keyValues(_ node: YAMLNode?, _ field: String, separator: Character = "=") -> [KeyValue] {
        guard let node, !node.isNull else { return [] }
        if let pairs = node.mapping {
            return pairs.compactMap { pair in
                guard let key = pair.key.scalarText else { return nil }
                if pair.value.isNull { return KeyValue(key, nil) }
                if let items = pair.value.sequence {  // extra_hosts: host: [ip, ip]
                    return KeyValue(key, items.compactMap(\.scalarText).joined(separator: ","))
                }
                return KeyValue(key, string(pair.value, "\(field).\(key)"))
            }
        }
        if let items = node.sequence {
            return items.compactMap { item in
                guard let text = string(item, field) else { return nil }
                if let split = text.firstIndex(of: separator) {
                    return KeyValue(String(text[..<split]), String(text[text.index(after: split)...]))
                }
                return KeyValue(text, nil)
            }
        }
        error("invalid-type", "'\(field)' must be a mapping or a list of KEY\(separator)VALUE, not \(node.kindName)", node)
        return []
    }

    mutating func checkKeys(_ node: YAMLNode, known: Set<String>, context: String, isError: Bool = false, service: String? = nil) {
        guard let pairs = node.mapping else { return }
        for pair in pairs {
            guard let key = pair.key.scalarText, !key.hasPrefix("x-"), !known.contains(key) else { continue }
            let message = "unknown key '\(key)' in \(context)\(Suggestion.didYouMean(key, in: known.sorted()))"
            diagnostics.append(Diagnostic(isError ? .error : .warning, code: "unknown-key", message, at: pair.key.location, service: service))
        }
    }

    mutating func mapping(_ node: YAMLNode?, _ field: String) -> [YAMLPair] {
        guard let node, !node.isNull else { return [] }
        guard let pairs = node.mapping else {
            error("invalid-type", "'\(field)' must be a mapping, not \(node.kindName)", node)
            return []
        }
        return pairs
    }

    func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~") { return (NSString(string: path).expandingTildeInPath as String) }
        return URL(fileURLWithPath: workingDirectory).appendingPathComponent(path).standardizedFileURL.path
    }

    // MARK: project

    mutating func decodeProject(_ root: YAMLNode, files: [String]) -> ComposeProject {
        var project = ComposeProject(name: projectName, workingDirectory: workingDirectory, files: files, services: [],
                                     networks: [], volumes: [], secrets: [], configs: [], disabledServices: [])
        guard root.mapping != nil else {
            if !root.isNull { error("invalid-type", "a Compose file must be a mapping at the top level, not \(root.kindName)", root) }
            return project
        }
        checkKeys(root, known: Self.topLevelKeys, context: "the Compose file", isError: true)
        for key in ["include", "models"] {
            if let pair = root.pair(key) {
                diagnostics.append(.warning("unsupported-key", "'\(key)' is not supported by this version of berth and is ignored", at: pair.key.location))
            }
        }
        for pair in mapping(root["services"], "services") {
            guard let name = pair.key.scalarText else { continue }
            if let service = decodeService(name: name, pair.value, key: pair.key) { project.services.append(service) }
        }
        for pair in mapping(root["networks"], "networks") {
            guard let name = pair.key.scalarText else { continue }
            project.networks.append(decodeNetwork(name: name, pair.value, key: pair.key))
        }
        for pair in mapping(root["volumes"], "volumes") {
            guard let name = pair.key.scalarText else { continue }
            project.volumes.append(decodeVolume(name: name, pair.value, key: pair.key))
        }
        for (field, keyPath) in [("secrets", \ComposeProject.secrets), ("configs", \ComposeProject.configs)] {
            for pair in mapping(root[field], field) {
                guard let name = pair.key.scalarText else { continue }
                project[keyPath: keyPath].append(decodeFileObject(name: name, pair.value, key: pair.key, field: field))
            }
        }
        return project
    }

    // MARK: service

    mutating func decodeService(name: String, _ node: YAMLNode, key: YAMLNode) -> Service? {
        var service = Service(name: name, location: key.location)
        if node.isNull { return service }
        guard node.mapping != nil else {
            error("invalid-type", "service '\(name)' must be a mapping, not \(node.kindName)", node, service: name)
            return nil
        }
        let before = diagnostics.count
        checkKeys(node, known: Self.serviceKeys, context: "service '\(name)'", service: name)
        service.image = string(node["image"], "image")
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
        for item in node["expose"]?.sequence ?? [] {
            guard let text = string(item, "expose") else { continue }
            let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
            if let range = PortSyntax.parseRange(parts[0]), range.lower > 0 {
                service.expose.append(ExposedPort(ports: range, protocol: parts.count > 1 ? parts[1] : "tcp", location: item.location))
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
        if let health = node["healthcheck"] { service.healthcheck = decodeHealthcheck(health) }
        service.restart = string(node["restart"], "restart")
        if let restart = service.restart, let restartNode = node["restart"] {
            let policy = restart.split(separator: ":").first.map(String.init) ?? restart
            if !["no", "always", "on-failure", "unless-stopped"].contains(policy) {
                error("invalid-value", "invalid restart policy '\(restart)' (no, always, on-failure[:N] or unless-stopped)", restartNode, service: name)
            }
        }
        for item in node["volumes"]?.sequence ?? [] {
            if let mount = volume(item, service: name) { service.volumes.append(mount) }
        }
        service.volumesFrom = stringList(node["volumes_from"], "volumes_from")
        service.links = stringList(node["links"], "links")
        service.labels = keyValues(node["labels"], "labels")
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
        service.platform = string(node["platform"], "platform")
        service.shmSize = string(node["shm_size"], "shm_size")
        service.sysctls = keyValues(node["sysctls"], "sysctls")
        service.tmpfs = stringList(node["tmpfs"], "tmpfs", allowString: true)
        service.devices = (node["devices"]?.sequence ?? []).compactMap { $0.scalarText ?? $0["source"]?.scalarText }
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
        return BuildSpec(
            context: absolutePath(string(node["context"], "build.context") ?? "."),
            dockerfile: string(node["dockerfile"], "build.dockerfile"),
            args: keyValues(node["args"], "build.args"),
            target: string(node["target"], "build.target"),
            labels: keyValues(node["labels"], "build.labels"))
    }

    /// Reads the `env_file` entries; a missing required file is an error at its entry.
    mutating func envFiles(_ node: YAMLNode?) -> [[KeyValue]] {
        guard let node, !node.isNull else { return [] }
        let items = node.sequence ?? [node]
        var result: [[KeyValue]] = []
        for item in items {
            var path: String?
            var required = true
            if let text = item.scalarText {
                path = text
            } else if item.mapping != nil {
                path = string(item["path"], "env_file.path")
                required = bool(item["required"], "env_file.required") ?? true
            }
            guard let path else { continue }
            let absolute = absolutePath(path)
            guard let data = FileManager.default.contents(atPath: absolute) else {
                if required {
                    error("missing-env-file", "env file '\(path)' not found (at \(absolute))", item)
                }
                continue
            }
            let (entries, errors) = EnvFile.parse(String(decoding: data, as: UTF8.self), lookup: lookup)
            for parseError in errors {
                diagnostics.append(.error("env-file-syntax", parseError.message,
                                          at: SourceLocation(file: absolute, line: parseError.line, column: 1)))
            }
            result.append(entries.map { KeyValue($0.key, $0.value ?? lookup($0.key)) })
        }
        return result
    }

    mutating func port(_ item: YAMLNode) -> [PortMapping] {
        if let text = item.scalarText {
            switch PortSyntax.parse(text, at: item.location) {
            case .success(let ports): return ports
            case .failure(let failure):
                error("invalid-port", failure.message, item)
                return []
            }
        }
        guard item.mapping != nil else {
            error("invalid-port", "a port must be a string, a number or a mapping, not \(item.kindName)", item)
            return []
        }
        checkKeys(item, known: ["target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"], context: "a port")
        guard let targetNode = item["target"] else {
            error("invalid-port", "a port in long syntax needs 'target'", item)
            return []
        }
        guard let target = int(targetNode, "target"), (1...65535).contains(target) else {
            error("invalid-port", "invalid target port '\(targetNode.scalarText ?? "")' (1-65535)", targetNode)
            return []
        }
        var published: PortRange?
        if let publishedNode = item["published"], let text = string(publishedNode, "published") {
            guard let range = PortSyntax.parseRange(text) else {
                error("invalid-port", "invalid published port '\(text)' (0-65535 or a range)", publishedNode)
                return []
            }
            published = range.lower == 0 && range.upper == 0 ? nil : range
        }
        let proto = (string(item["protocol"], "protocol") ?? "tcp").lowercased()
        if !["tcp", "udp", "sctp"].contains(proto), let node = item["protocol"] {
            error("invalid-port", "invalid protocol '\(proto)' (tcp, udp or sctp)", node)
        }
        let hostIP = string(item["host_ip"], "host_ip")
        if let hostIP, !IPAddress.isValid(hostIP), let node = item["host_ip"] {
            error("invalid-port", "invalid host address '\(hostIP)'", node)
        }
        return [PortMapping(target: target, published: published, hostIP: hostIP, protocol: proto,
                            mode: string(item["mode"], "mode") ?? "ingress", name: string(item["name"], "name"),
                            appProtocol: string(item["app_protocol"], "app_protocol"), location: item.location)]
    }

    mutating func volume(_ item: YAMLNode, service: String) -> VolumeMount? {
        if let text = item.scalarText {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            var source: String?
            var target: String
            var mode = ""
            switch parts.count {
            case 1: target = parts[0]
            case 2: source = parts[0]; target = parts[1]
            case 3: source = parts[0]; target = parts[1]; mode = parts[2]
            default:
                error("invalid-volume", "invalid volume '\(text)' (expected [SOURCE:]TARGET[:MODE])", item)
                return nil
            }
            guard !target.isEmpty else {
                error("invalid-volume", "invalid volume '\(text)': the target path is empty", item)
                return nil
            }
            var kind = VolumeMount.Kind.volume
            if let s = source, s.hasPrefix("/") || s.hasPrefix(".") || s.hasPrefix("~") {
                kind = .bind
                source = absolutePath(s)
            }
            let modes = mode.split(separator: ",")
            return VolumeMount(type: kind, source: source, target: target, readOnly: modes.contains("ro"),
                               createHostPath: kind == .bind ? true : nil, noCopy: modes.contains("nocopy") ? true : nil,
                               location: item.location)
        }
        guard item.mapping != nil else {
            error("invalid-volume", "a volume must be a string or a mapping, not \(item.kindName)", item)
            return nil
        }
        let typeText = string(item["type"], "type") ?? "volume"
        guard let kind = VolumeMount.Kind(rawValue: typeText) else {
            error("invalid-volume", "invalid volume type '\(typeText)' (volume, bind, tmpfs, npipe, cluster or image)", item["type"] ?? item)
            return nil
        }
        guard let target = string(item["target"], "target") else {
            error("invalid-volume", "a volume in long syntax needs 'target'", item)
            return nil
        }
        var source = string(item["source"], "source")
        if kind == .bind, let s = source { source = absolutePath(s) }
        return VolumeMount(type: kind, source: source, target: target,
                           readOnly: bool(item["read_only"], "read_only") ?? false,
                           createHostPath: kind == .bind ? (item["bind"]?["create_host_path"].flatMap { bool($0, "create_host_path") } ?? true) : nil,
                           noCopy: item["volume"]?["nocopy"].flatMap { bool($0, "nocopy") }, location: item.location)
    }

    mutating func fileReferences(_ node: YAMLNode?, _ field: String) -> [FileReference] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.sequence else {
            error("invalid-type", "'\(field)' must be a list, not \(node.kindName)", node)
            return []
        }
        return items.compactMap { item in
            if let text = item.scalarText { return FileReference(source: text) }
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
                                 gid: string(item["gid"], "gid"), mode: mode)
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
        checkKeys(node, known: ["test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"], context: "healthcheck")
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
        return Healthcheck(test: disable ? ["NONE"] : test, interval: duration(node["interval"], "interval"),
                           timeout: duration(node["timeout"], "timeout"), retries: int(node["retries"], "retries"),
                           startPeriod: duration(node["start_period"], "start_period"),
                           startInterval: duration(node["start_interval"], "start_interval"), disable: disable)
    }

    // MARK: top-level resources

    mutating func decodeNetwork(name: String, _ node: YAMLNode, key: YAMLNode) -> NetworkDefinition {
        var network = NetworkDefinition(name: name, engineName: "\(projectName)_\(name)", location: key.location)
        if node.isNull { return network }
        checkKeys(node, known: Self.networkKeys, context: "network '\(name)'")
        network.driver = string(node["driver"], "driver")
        network.driverOptions = keyValues(node["driver_opts"], "driver_opts")
        network.internal = bool(node["internal"], "internal") ?? false
        network.attachable = bool(node["attachable"], "attachable") ?? false
        network.enableIPv6 = bool(node["enable_ipv6"], "enable_ipv6") ?? false
        network.labels = keyValues(node["labels"], "labels")
        if let external = node["external"] {
            network.external = external.mapping != nil ? true : (bool(external, "external") ?? false)
        }
        if let explicit = string(node["name"], "name") {
            network.engineName = explicit
        } else if network.external {
            network.engineName = name
        }
        if let ipam = node["ipam"] {
            network.ipamDriver = string(ipam["driver"], "ipam.driver")
            for config in ipam["config"]?.sequence ?? [] {
                let subnet = string(config["subnet"], "subnet")
                if let subnet, Subnet(subnet) == nil, let at = config["subnet"] {
                    error("invalid-subnet", "invalid subnet '\(subnet)' (expected CIDR notation like 10.5.0.0/16)", at)
                }
                network.ipam.append(.init(subnet: subnet, gateway: string(config["gateway"], "gateway"),
                                          ipRange: string(config["ip_range"], "ip_range"), location: config.location))
            }
        }
        return network
    }

    mutating func decodeVolume(name: String, _ node: YAMLNode, key: YAMLNode) -> VolumeDefinition {
        var volume = VolumeDefinition(name: name, engineName: "\(projectName)_\(name)", location: key.location)
        if node.isNull { return volume }
        checkKeys(node, known: Self.volumeKeys, context: "volume '\(name)'")
        volume.driver = string(node["driver"], "driver")
        volume.driverOptions = keyValues(node["driver_opts"], "driver_opts")
        volume.labels = keyValues(node["labels"], "labels")
        if let external = node["external"] {
            volume.external = external.mapping != nil ? true : (bool(external, "external") ?? false)
        }
        if let explicit = string(node["name"], "name") {
            volume.engineName = explicit
        } else if volume.external {
            volume.engineName = name
        }
        return volume
    }

    mutating func decodeFileObject(name: String, _ node: YAMLNode, key: YAMLNode, field: String) -> FileObjectDefinition {
        var object = FileObjectDefinition(name: name, location: key.location)
        if node.isNull { return object }
        checkKeys(node, known: Self.fileObjectKeys, context: "\(field.dropLast()) '\(name)'")
        object.file = string(node["file"], "file").map(absolutePath)
        object.environment = string(node["environment"], "environment")
        object.content = string(node["content"], "content")
        if let external = node["external"] {
            object.external = external.mapping != nil ? true : (bool(external, "external") ?? false)
        }
        return object
    }
}
