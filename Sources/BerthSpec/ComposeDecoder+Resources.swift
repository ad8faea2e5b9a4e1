import BerthDiagnostics
import BerthHashing
import BerthYAML
import Foundation

/// Top-level networks, volumes, secrets and configs.
extension ComposeDecoder {
    mutating func decodeNetwork(name: String, _ node: YAMLNode, key: YAMLNode) -> NetworkDefinition {
        var network = NetworkDefinition(name: name, engineName: "\(projectName)_\(name)", location: key.location)
        if node.isNull { return network }
        checkKeys(node, known: Self.networkKeys, context: "network '\(name)'")
        network.driver = string(node["driver"], "driver")
        network.driverOptions = keyValues(node["driver_opts"], "driver_opts")
        network.internal = bool(node["internal"], "internal") ?? false
        network.attachable = bool(node["attachable"], "attachable") ?? false
        network.enableIPv6 = bool(node["enable_ipv6"], "enable_ipv6") ?? false
        network.enableIPv4 = bool(node["enable_ipv4"], "enable_ipv4")
        network.enableIPv4Location = node["enable_ipv4"]?.location
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
            checkKeys(ipam, known: ["driver", "config", "options"], context: "the ipam of network '\(name)'")
            network.ipamDriver = string(ipam["driver"], "ipam.driver")
            network.ipamOptions = keyValues(ipam["options"], "ipam.options")
            for config in sequence(ipam["config"], "ipam.config") {
                checkKeys(config, known: ["subnet", "gateway", "ip_range", "aux_addresses"], context: "an ipam config of network '\(name)'")
                let subnet = string(config["subnet"], "subnet")
                if let subnet, Subnet(subnet) == nil, let at = config["subnet"] {
                    error("invalid-subnet", "invalid subnet '\(subnet)' (expected CIDR notation like 10.5.0.0/16)", at)
                }
                network.ipam.append(.init(subnet: subnet, gateway: string(config["gateway"], "gateway"),
                                          ipRange: string(config["ip_range"], "ip_range"), location: config.location,
                                          auxAddresses: keyValues(config["aux_addresses"], "aux_addresses")))
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
        object.environmentValue = object.environment.flatMap(lookup)
        object.content = string(node["content"], "content")
        object.driver = string(node["driver"], "driver") ?? string(node["template_driver"], "template_driver")
        if let text = object.injectedContent {
            object.contentDigest = SHA256.hex(text)
        } else if let file = object.file, let data = FileManager.default.contents(atPath: file) {
            object.contentDigest = SHA256.hex(bytes: Array(data))
        }
        if let external = node["external"] {
            object.external = external.mapping != nil ? true : (bool(external, "external") ?? false)
        }
        object.explicitName = string(node["name"], "name")
        object.labels = keyValues(node["labels"], "labels")
        return object
    }
}
