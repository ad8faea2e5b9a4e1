import BerthDiagnostics
import BerthYAML

/// `deploy` keys for a swarm: mode, labels, placement, endpoint mode, restart, update and rollback policies, CPU and
/// generic reservations. Their fate in single-engine mode (a warning) is decided by `ComposeKeys`; here they are read.
extension ComposeDecoder {
    static let swarmModes: Set<String> = ["replicated", "global", "replicated-job", "global-job"]

    mutating func decodeSwarmDeploy(_ service: YAMLNode, name: String) -> SwarmDeploy {
        var swarm = SwarmDeploy()
        swarm.replicasWritten = service["scale"] != nil
        guard let deploy = service["deploy"], deploy.mapping != nil else { return swarm }
        for pair in deploy.mapping ?? [] { if let key = pair.key.scalarText { swarm.locations[key] = pair.key.location } }
        swarm.replicasWritten = swarm.replicasWritten || deploy["replicas"] != nil
        if let node = deploy["mode"], let mode = string(node, "deploy.mode") {
            if Self.swarmModes.contains(mode) { swarm.mode = mode } else {
                error("invalid-value", "deploy.mode must be replicated, global, replicated-job or global-job, not '\(mode)'", node, service: name)
            }
            if mode.hasPrefix("global"), let replicas = deploy["replicas"] {
                error("invalid-value", "deploy.replicas can only be used with replicated or replicated-job mode", replicas, service: name)
            }
        }
        swarm.labels = keyValues(deploy["labels"], "deploy.labels")
        if let placement = deploy["placement"], !placement.isNull {
            swarm.constraints = stringList(placement["constraints"], "deploy.placement.constraints")
            for preference in placement["preferences"]?.sequence ?? [] {
                if let spread = string(preference["spread"], "deploy.placement.preferences.spread") { swarm.spreads.append(spread) }
            }
            swarm.maxReplicasPerNode = int(placement["max_replicas_per_node"], "deploy.placement.max_replicas_per_node")
            for pair in placement.mapping ?? [] { if let key = pair.key.scalarText { swarm.locations["placement.\(key)"] = pair.key.location } }
        }
        if let node = deploy["endpoint_mode"], let mode = string(node, "deploy.endpoint_mode") {
            if ["vip", "dnsrr"].contains(mode.lowercased()) { swarm.endpointMode = mode.lowercased() } else {
                error("invalid-value", "deploy.endpoint_mode must be vip or dnsrr, not '\(mode)'", node, service: name)
            }
        }
        if let policy = deploy["restart_policy"], policy.mapping != nil {
            // condition and max_attempts are checked where `up` reads them (decodeDeploy).
            swarm.restartPolicy = .init(condition: policy["condition"]?.scalarText,
                                        delay: duration(policy["delay"], "deploy.restart_policy.delay"),
                                        maxAttempts: policy["max_attempts"]?.scalarText.flatMap { Int($0) },
                                        window: duration(policy["window"], "deploy.restart_policy.window"))
        }
        swarm.updateConfig = updateConfig(deploy["update_config"], "deploy.update_config", service: name)
        swarm.rollbackConfig = updateConfig(deploy["rollback_config"], "deploy.rollback_config", service: name)
        if let reservations = deploy["resources"]?["reservations"] {
            if let cpus = reservations["cpus"] { swarm.reservedNanoCPUs = cpuCount(cpus, "deploy.resources.reservations.cpus", service: name) }
            for resource in reservations["generic_resources"]?.sequence ?? [] {
                let spec = resource["discrete_resource_spec"]
                if let kind = string(spec?["kind"], "generic_resources.discrete_resource_spec.kind") {
                    swarm.genericResources.append(KeyValue(kind, spec?["value"]?.scalarText ?? "0"))
                }
            }
        }
        return swarm
    }

    private mutating func updateConfig(_ node: YAMLNode?, _ path: String, service: String) -> SwarmDeploy.UpdateConfig? {
        guard let node, node.mapping != nil else { return nil }
        var config = SwarmDeploy.UpdateConfig()
        config.parallelism = int(node["parallelism"], "\(path).parallelism")
        config.delay = duration(node["delay"], "\(path).delay")
        config.failureAction = string(node["failure_action"], "\(path).failure_action")
        config.monitor = duration(node["monitor"], "\(path).monitor")
        config.maxFailureRatio = node["max_failure_ratio"]?.scalarText.flatMap(Double.init)
        if let order = node["order"], let value = string(order, "\(path).order") {
            if ["start-first", "stop-first"].contains(value) { config.order = value } else {
                error("invalid-value", "\(path).order must be start-first or stop-first, not '\(value)'", order, service: service)
            }
        }
        return config
    }
}
