import BerthDiagnostics
import BerthHashing
import BerthPlan
import BerthSpec
import DockerEngine
import Foundation

/// Translates a Compose project into a swarm stack's objects, as `docker stack deploy` does (docker/cli
/// `cli/compose/convert`): `<stack>_<name>` names, the `com.docker.stack.namespace` label on everything, services
/// with their deploy keys, overlay networks, and secrets and configs named after their content so that a change rolls
/// the services that use them.
public enum SwarmSpec {
    public static let namespaceLabel = "com.docker.stack.namespace"
    public static let imageLabel = "com.docker.stack.image"

    /// The hash of the spec Berth sent, on the service: a redeploy whose spec hashes the same, on a service whose spec
    /// still covers it, sends nothing.
    public static let specHashLabel = "dev.berth.spec-hash"

    public static func scoped(_ stack: String, _ name: String) -> String { "\(stack)_\(name)" }

    /// The spec as the engine stores it: `TaskTemplate.Networks[].Target` names replaced by the networks' IDs.
    public static func withNetworkIDs(_ spec: JSONValue, networks: [String: String]) -> JSONValue {
        guard case .object(var body) = spec, case .object(var task)? = body["TaskTemplate"], let attached = task["Networks"]?.array else { return spec }
        task["Networks"] = .array(attached.map { entry in
            guard case .object(var fields) = entry, let name = fields["Target"]?.string, let id = networks[name] else { return entry }
            fields["Target"] = .string(id)
            return .object(fields)
        })
        body["TaskTemplate"] = .object(task)
        return .object(body)
    }

    /// The spec with its own hash among its labels.
    public static func signed(_ spec: JSONValue) -> JSONValue {
        guard case .object(var body) = spec, case .object(var labels)? = body["Labels"] else { return spec }
        labels[specHashLabel] = .string(SHA256.hex(spec.text))
        body["Labels"] = .object(labels)
        return .object(body)
    }

    /// A secret's or config's name in the swarm: `name:` as written, or `<stack>_<key>_<8 hex of its content>`.
    public static func objectName(stack: String, _ object: FileObjectDefinition) -> String {
        if let explicit = object.explicitName { return explicit }
        if object.external { return object.name }
        return "\(stack)_\(object.name)_\((object.contentDigest ?? SHA256.hex("")).prefix(8))"
    }

    /// The bytes a secret or config holds: its file, its `content`, or its `environment` variable's value.
    public static func objectData(_ object: FileObjectDefinition) -> [UInt8]? {
        if let text = object.injectedContent { return Array(text.utf8) }
        if let file = object.file, let data = FileManager.default.contents(atPath: file) { return Array(data) }
        return nil
    }

    /// The networks the stack's services use (`default` for a service that names none), in file order.
    public static func usedNetworks(_ project: ComposeProject) -> [NetworkDefinition] {
        let used = Set(project.services.flatMap { service in service.networkMode == nil ? service.networks.map(\.name) : [] })
        return project.networks.filter { used.contains($0.name) }
    }

    /// A network's or volume's name in the stack: `<stack>_<key>`, or the name written with `name:` (the loader's
    /// engine name is `<project>_<key>` unless `name:` was written).
    static func stackName(stack: String, key: String, engineName: String) -> String {
        engineName.hasSuffix("_\(key)") ? scoped(stack, key) : engineName
    }

    /// The network's engine name in the stack; an external one's as written.
    public static func networkName(stack: String, _ network: NetworkDefinition) -> String {
        network.external ? network.engineName : stackName(stack: stack, key: network.name, engineName: network.engineName)
    }

    /// `POST /networks/create` for a stack network: overlay unless a driver is written, attachable as written.
    public static func networkBody(stack: String, _ network: NetworkDefinition) -> JSONValue {
        var labels = ContainerSpec.dictionary(network.labels)
        labels[namespaceLabel] = .string(stack)
        var body: [String: JSONValue] = [
            "Name": .string(networkName(stack: stack, network)), "Driver": .string(network.driver ?? "overlay"), "Labels": .object(labels),
            "Attachable": .bool(network.attachable), "Internal": .bool(network.internal), "CheckDuplicate": true,
        ]
        if !network.driverOptions.isEmpty { body["Options"] = ContainerSpec.object(network.driverOptions) }
        if network.ipamDriver != nil || !network.ipam.isEmpty {
            var ipam: [String: JSONValue] = ["Config": .array(network.ipam.compactMap { config in config.subnet.map { .object(["Subnet": .string($0)]) } })]
            if let driver = network.ipamDriver { ipam["Driver"] = .string(driver) }
            body["IPAM"] = .object(ipam)
        }
        return .object(body)
    }

    static func nanoseconds(_ duration: Duration?) -> JSONValue? { ContainerSpec.nanoseconds(duration) }

    /// The image as the docker CLI sends it: a reference without a tag gets `:latest`.
    static func taggedImage(_ image: String) -> String {
        let reference = ImageReference(image)
        return reference.tag == nil && reference.digest == nil ? image + ":latest" : image
    }

    /// The service spec. `secrets` and `configs` map each top-level key to the swarm object's ID and name.
    /// `image` is the reference sent (pinned to a digest by `--resolve-image`); the service's own when nil.
    public static func serviceBody(_ service: Service, project: ComposeProject, stack: String,
                                   secrets: [String: (id: String, name: String)], configs: [String: (id: String, name: String)],
                                   image sent: String? = nil) -> JSONValue {
        let image = Planner.imageReference(project: project, service: service)
        var container: [String: JSONValue] = ["Image": .string(sent ?? taggedImage(image))]
        if let entrypoint = service.entrypoint { container["Command"] = .array(entrypoint.map(JSONValue.string)) }
        if let command = service.command { container["Args"] = .array(command.map(JSONValue.string)) }
        if let hostname = service.hostname { container["Hostname"] = .string(hostname) }
        let env = service.environment.compactMap { entry in entry.value.map { "\(entry.key)=\($0)" } ?? entry.key }.sorted()
        if !env.isEmpty { container["Env"] = .array(env.map(JSONValue.string)) }
        var containerLabels = ContainerSpec.dictionary(service.labels)
        containerLabels[namespaceLabel] = .string(stack)
        container["Labels"] = .object(containerLabels)
        if let dir = service.workingDir { container["Dir"] = .string(dir) }
        if let user = service.user { container["User"] = .string(user) }
        if let grace = nanoseconds(service.stopGracePeriod) { container["StopGracePeriod"] = grace }
        if let signal = service.stopSignal { container["StopSignal"] = .string(signal) }
        if service.tty { container["TTY"] = true }
        if service.stdinOpen { container["OpenStdin"] = true }
        if service.readOnly { container["ReadOnly"] = true }
        if let initProcess = service.initProcess { container["Init"] = .bool(initProcess) }
        let mounts = service.volumes.map { mount(of: $0, project: project, stack: stack) }
        if !mounts.isEmpty { container["Mounts"] = .array(mounts) }
        // StartInterval is API 1.44: this engine ignores it, as the docker CLI's would be.
        if let health = service.healthcheck { container["Healthcheck"] = ContainerSpec.healthcheck(health, startInterval: false) }
        if !service.dns.isEmpty || !service.options.dnsSearch.isEmpty {
            container["DNSConfig"] = ["Nameservers": .array(service.dns.map(JSONValue.string)), "Search": .array(service.options.dnsSearch.map(JSONValue.string))]
        }
        // extra_hosts `host:ip` becomes SwarmKit's `ip host`.
        let hosts = service.extraHosts.compactMap { entry -> JSONValue? in
            guard let split = entry.firstIndex(where: { $0 == ":" || $0 == "=" }) else { return nil }
            let address = entry[entry.index(after: split)...].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            return .string("\(address) \(entry[..<split])")
        }
        if !hosts.isEmpty { container["Hosts"] = .array(hosts) }
        if !service.sysctls.isEmpty { container["Sysctls"] = ContainerSpec.object(service.sysctls) }
        if !service.options.ulimits.isEmpty {
            container["Ulimits"] = .array(service.options.ulimits.sorted { $0.name < $1.name }.map {
                ["Name": .string($0.name), "Soft": .number(Double($0.soft)), "Hard": .number(Double($0.hard))]
            })
        }
        func capabilities(_ list: [String]) -> [String] {
            list.map { $0.uppercased() }.map { $0 == "ALL" || $0.hasPrefix("CAP_") ? $0 : "CAP_" + $0 }.sorted()
        }
        if !service.capAdd.isEmpty { container["CapabilityAdd"] = .array(capabilities(service.capAdd).map(JSONValue.string)) }
        let added = Set(capabilities(service.capAdd))
        let dropped = capabilities(service.capDrop).filter { !added.contains($0) }
        if !dropped.isEmpty { container["CapabilityDrop"] = .array(dropped.map(JSONValue.string)) }
        let secretRefs = references(service.secrets, objects: secrets, kind: "Secret")
        if !secretRefs.isEmpty { container["Secrets"] = .array(secretRefs) }
        let configRefs = references(service.configs, objects: configs, kind: "Config")
        if !configRefs.isEmpty { container["Configs"] = .array(configRefs) }

        var task: [String: JSONValue] = ["ContainerSpec": .object(container)]
        task["Resources"] = resources(service)
        if let policy = restartPolicy(service) { task["RestartPolicy"] = policy }
        var placement: [String: JSONValue] = ["Constraints": .array(service.swarm.constraints.map(JSONValue.string)),
                                              "Preferences": .array(service.swarm.spreads.map { ["Spread": ["SpreadDescriptor": .string($0)]] })]
        if let max = service.swarm.maxReplicasPerNode { placement["MaxReplicas"] = .number(Double(max)) }
        task["Placement"] = .object(placement)
        if service.networkMode == nil {
            task["Networks"] = .array(service.networks.compactMap { attachment -> (String, JSONValue)? in
                guard let network = project.network(named: attachment.name) else { return nil }
                let target = networkName(stack: stack, network)
                var entry: [String: JSONValue] = ["Target": .string(target), "Aliases": .array((attachment.aliases + [service.name]).map(JSONValue.string))]
                if !attachment.driverOptions.isEmpty { entry["DriverOpts"] = ContainerSpec.object(attachment.driverOptions) }
                return (target, .object(entry))
            }.sorted { $0.0 < $1.0 }.map(\.1))
        }
        if let logging = service.options.logging, let driver = logging.driver {
            task["LogDriver"] = ["Name": .string(driver), "Options": ContainerSpec.object(logging.options)]
        }

        var labels = ContainerSpec.dictionary(service.swarm.labels)
        labels[namespaceLabel] = .string(stack)
        labels[imageLabel] = .string(image)
        var spec: [String: JSONValue] = ["Name": .string(scoped(stack, service.name)), "Labels": .object(labels), "TaskTemplate": .object(task)]
        spec["Mode"] = mode(service)
        if let update = updateConfig(service.swarm.updateConfig) { spec["UpdateConfig"] = update }
        if let rollback = updateConfig(service.swarm.rollbackConfig) { spec["RollbackConfig"] = rollback }
        var endpoint: [String: JSONValue] = ["Ports": .array(ports(service))]
        if let mode = service.swarm.endpointMode { endpoint["Mode"] = .string(mode) }
        spec["EndpointSpec"] = .object(endpoint)
        return .object(spec)
    }

    static func mount(of volume: VolumeMount, project: ComposeProject, stack: String) -> JSONValue {
        var mount: [String: JSONValue] = ["Type": .string(volume.type.rawValue), "Target": .string(volume.target), "ReadOnly": .bool(volume.readOnly)]
        switch volume.type {
        case .volume:
            guard let source = volume.source else { break }
            let definition = project.volumes.first { $0.name == source }
            let external = definition?.external ?? false
            mount["Source"] = .string(external ? definition?.engineName ?? source
                                      : (definition.map { stackName(stack: stack, key: $0.name, engineName: $0.engineName) } ?? scoped(stack, source)))
            var options: [String: JSONValue] = ["NoCopy": .bool(volume.noCopy ?? false)]
            if !external {
                var labels = ContainerSpec.dictionary(definition?.labels ?? [])
                labels[namespaceLabel] = .string(stack)
                options["Labels"] = .object(labels)
                if let driver = definition?.driver { options["DriverConfig"] = ["Name": .string(driver), "Options": ContainerSpec.object(definition?.driverOptions ?? [])] }
            }
            mount["VolumeOptions"] = .object(options)
        case .bind:
            mount["Source"] = .string(volume.source ?? "")
            if let propagation = volume.propagation { mount["BindOptions"] = ["Propagation": .string(propagation)] }
        case .tmpfs:
            if let size = volume.tmpfsSize { mount["TmpfsOptions"] = ["SizeBytes": .number(Double(size))] }
        default:
            break
        }
        return .object(mount)
    }

    static func references(_ refs: [FileReference], objects: [String: (id: String, name: String)], kind: String) -> [JSONValue] {
        refs.compactMap { ref -> (String, JSONValue)? in
            guard let object = objects[ref.source] else { return nil }
            let file: JSONValue = ["Name": .string(ref.target ?? ref.source), "UID": .string(ref.uid ?? "0"), "GID": .string(ref.gid ?? "0"),
                                   "Mode": .number(Double(ref.mode ?? 0o444))]
            return (object.name, .object(["File": file, "\(kind)ID": .string(object.id), "\(kind)Name": .string(object.name)]))
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    static func resources(_ service: Service) -> JSONValue {
        var resources: [String: JSONValue] = [:]
        var limits: [String: JSONValue] = [:]
        if let cpus = service.options.nanoCPUs { limits["NanoCPUs"] = .number(Double(cpus)) }
        if let memory = service.options.memory { limits["MemoryBytes"] = .number(Double(memory)) }
        if let pids = service.options.pidsLimit { limits["Pids"] = .number(Double(pids)) }
        if !limits.isEmpty { resources["Limits"] = .object(limits) }
        var reservations: [String: JSONValue] = [:]
        if let cpus = service.swarm.reservedNanoCPUs { reservations["NanoCPUs"] = .number(Double(cpus)) }
        if let memory = service.options.memoryReservation { reservations["MemoryBytes"] = .number(Double(memory)) }
        if !service.swarm.genericResources.isEmpty {
            reservations["GenericResources"] = .array(service.swarm.genericResources.map {
                ["DiscreteResourceSpec": ["Kind": .string($0.key), "Value": .number(Double($0.value ?? "0") ?? 0)]]
            })
        }
        if !reservations.isEmpty { resources["Reservations"] = .object(reservations) }
        return .object(resources)
    }

    /// `deploy.restart_policy` as written, else `restart:` (always/unless-stopped are `any`); none leaves swarm's own.
    static func restartPolicy(_ service: Service) -> JSONValue? {
        if let policy = service.swarm.restartPolicy {
            var body: [String: JSONValue] = [:]
            if let condition = policy.condition { body["Condition"] = .string(condition) }
            if let delay = nanoseconds(policy.delay) { body["Delay"] = delay }
            if let attempts = policy.maxAttempts { body["MaxAttempts"] = .number(Double(attempts)) }
            if let window = nanoseconds(policy.window) { body["Window"] = window }
            return .object(body)
        }
        guard let restart = service.restart, restart != "no" else { return nil }
        if restart == "always" || restart == "unless-stopped" { return ["Condition": "any"] }
        if restart.hasPrefix("on-failure") {
            let attempts = restart.split(separator: ":").dropFirst().first.flatMap { Int($0) } ?? 0
            return ["Condition": "on-failure", "MaxAttempts": .number(Double(attempts))]
        }
        return nil
    }

    static func mode(_ service: Service) -> JSONValue {
        let replicas: JSONValue? = service.swarm.replicasWritten ? .number(Double(service.replicas)) : nil
        switch service.swarm.mode {
        case "global": return ["Global": [:]]
        case "global-job": return ["GlobalJob": [:]]
        case "replicated-job":
            var job: [String: JSONValue] = [:]
            if let replicas { job["MaxConcurrent"] = replicas; job["TotalCompletions"] = replicas }
            return ["ReplicatedJob": .object(job)]
        default:
            return ["Replicated": .object(replicas.map { ["Replicas": $0] } ?? [:])]
        }
    }

    static func updateConfig(_ config: SwarmDeploy.UpdateConfig?) -> JSONValue? {
        guard let config else { return nil }
        var body: [String: JSONValue] = ["Parallelism": .number(Double(config.parallelism ?? 1))]
        if let delay = nanoseconds(config.delay) { body["Delay"] = delay }
        if let action = config.failureAction { body["FailureAction"] = .string(action) }
        if let monitor = nanoseconds(config.monitor) { body["Monitor"] = monitor }
        if let ratio = config.maxFailureRatio { body["MaxFailureRatio"] = .number(ratio) }
        if let order = config.order { body["Order"] = .string(order) }
        return .object(body)
    }

    /// Published ports: a range expands to one entry per port; sorted by published port, as the docker CLI sends them.
    static func ports(_ service: Service) -> [JSONValue] {
        var entries: [(Int, JSONValue)] = []
        for port in service.ports {
            let published = port.published.map { Array($0.lower...$0.upper) } ?? [0]
            for (offset, host) in published.enumerated() {
                var entry: [String: JSONValue] = ["Protocol": .string(port.protocol), "TargetPort": .number(Double(port.target + (published.count > 1 ? offset : 0))),
                                                  "PublishMode": .string(port.mode == "host" ? "host" : "ingress")]
                if host != 0 { entry["PublishedPort"] = .number(Double(host)) }
                entries.append((host, .object(entry)))
            }
        }
        return entries.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
