import BerthPlan
import BerthSpec
import DockerEngine

/// Translates Compose networks and volumes into the engine's create bodies, with the labels Compose puts on them
/// (project, key, version, config hash) and Berth's canonical copy of the configuration.
public enum ResourceSpec {
    /// The create body of a network (compose's create of networks); `EnableIPv4` only where the engine has it (1.47).
    public static func network(_ network: NetworkDefinition, project: String, apiVersion: String? = nil) -> JSONValue {
        let fingerprint = ResourceFingerprint(network: network)
        var body: [String: JSONValue] = [
            "Name": .string(network.engineName), "CheckDuplicate": true, "Driver": .string(network.driver ?? "bridge"),
            "Internal": .bool(network.internal), "Attachable": .bool(network.attachable), "EnableIPv6": .bool(network.enableIPv6),
        ]
        body["Labels"] = labels(network.labels, project: project, kind: ComposeLabels.network, key: network.name, fingerprint: fingerprint)
        if let v4 = network.enableIPv4, EngineSnapshot.Capabilities.version(apiVersion, atLeast: "1.47") { body["EnableIPv4"] = .bool(v4) }
        if !network.driverOptions.isEmpty {
            body["Options"] = .object(Dictionary(uniqueKeysWithValues: network.driverOptions.map { ($0.key, JSONValue.string($0.value ?? "")) }))
        }
        if !network.ipam.isEmpty || network.ipamDriver != nil {
            let configs: [JSONValue] = network.ipam.map { config in
                var entry: [String: JSONValue] = [:]
                if let subnet = config.subnet { entry["Subnet"] = .string(subnet) }
                if let gateway = config.gateway { entry["Gateway"] = .string(gateway) }
                if let range = config.ipRange { entry["IPRange"] = .string(range) }
                if !config.auxAddresses.isEmpty {
                    entry["AuxiliaryAddresses"] = ContainerSpec.object(config.auxAddresses)
                }
                return .object(entry)
            }
            var ipam: [String: JSONValue] = ["Driver": .string(network.ipamDriver ?? "default"), "Config": .array(configs)]
            if !network.ipamOptions.isEmpty {
                ipam["Options"] = ContainerSpec.object(network.ipamOptions)
            }
            body["IPAM"] = .object(ipam)
        }
        return .object(body)
    }

    public static func volume(_ volume: VolumeDefinition, project: String) -> JSONValue {
        let fingerprint = ResourceFingerprint(volume: volume)
        var body: [String: JSONValue] = ["Name": .string(volume.engineName), "Driver": .string(volume.driver ?? "local"),
                                         "Labels": labels(volume.labels, project: project, kind: ComposeLabels.volume, key: volume.name, fingerprint: fingerprint)]
        if !volume.driverOptions.isEmpty {
            body["DriverOpts"] = .object(Dictionary(uniqueKeysWithValues: volume.driverOptions.map { ($0.key, JSONValue.string($0.value ?? "")) }))
        }
        return .object(body)
    }

    /// The user's labels, then Compose's (project, key, version, config hash) and Berth's copy of the configuration.
    static func labels(_ user: [KeyValue], project: String, kind: String, key: String, fingerprint: ResourceFingerprint) -> JSONValue {
        var labels: [String: JSONValue] = [:]
        for label in user { labels[label.key] = .string(label.value ?? "") }
        labels[ComposeLabels.project] = .string(project)
        labels[kind] = .string(key)
        labels[ComposeLabels.version] = .string(ComposeLabels.composeVersion)
        labels[ComposeLabels.configHash] = .string(fingerprint.hash)
        labels[ServiceFingerprint.configLabel] = .string(fingerprint.canonical)
        return .object(labels)
    }
}
