import BerthHashing
import BerthSpec
import BerthYAML

/// What a network or volume is made from, as stored on it (the `com.docker.compose.config-hash` label and Berth's
/// canonical copy), so that a plan can tell when the file asks for something else than the engine has.
public struct ResourceFingerprint: Sendable, Hashable {
    public var canonical: String
    public var hash: String

    init(_ node: YAMLNode) {
        canonical = JSONWriter.write(node, pretty: false)
        hash = SHA256.hex(canonical)
    }

    public init(network: NetworkDefinition) {
        var fields: [(String, YAMLNode)] = [("driver", .string(network.driver ?? "bridge"))]
        if !network.driverOptions.isEmpty { fields.append(("driver_opts", ConfigRenderer.keyValueMap(network.driverOptions))) }
        if network.enableIPv6 { fields.append(("enable_ipv6", .bool(true))) }
        if let v4 = network.enableIPv4 { fields.append(("enable_ipv4", .bool(v4))) }
        if network.internal { fields.append(("internal", .bool(true))) }
        if network.attachable { fields.append(("attachable", .bool(true))) }
        if network.ipamDriver != nil || !network.ipam.isEmpty {
            var ipam: [(String, YAMLNode)] = []
            if let driver = network.ipamDriver { ipam.append(("driver", .string(driver))) }
            ipam.append(("config", .list(network.ipam.map { config in
                var pairs: [(String, YAMLNode)] = []
                if let subnet = config.subnet { pairs.append(("subnet", .string(subnet))) }
                if let gateway = config.gateway { pairs.append(("gateway", .string(gateway))) }
                if let range = config.ipRange { pairs.append(("ip_range", .string(range))) }
                if !config.auxAddresses.isEmpty { pairs.append(("aux_addresses", ConfigRenderer.keyValueMap(config.auxAddresses))) }
                return .map(pairs)
            })))
            if !network.ipamOptions.isEmpty { ipam.append(("options", ConfigRenderer.keyValueMap(network.ipamOptions))) }
            fields.append(("ipam", .map(ipam)))
        }
        if !network.labels.isEmpty { fields.append(("labels", ConfigRenderer.keyValueMap(network.labels))) }
        self.init(.map(fields.sorted { $0.0 < $1.0 }))
    }

    public init(volume: VolumeDefinition) {
        var fields: [(String, YAMLNode)] = [("driver", .string(volume.driver ?? "local"))]
        if !volume.driverOptions.isEmpty { fields.append(("driver_opts", ConfigRenderer.keyValueMap(volume.driverOptions))) }
        if !volume.labels.isEmpty { fields.append(("labels", ConfigRenderer.keyValueMap(volume.labels))) }
        self.init(.map(fields))
    }
}
