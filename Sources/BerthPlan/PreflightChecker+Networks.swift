import BerthDiagnostics
import BerthGraph
import BerthSpec

/// Networks: subnets, addresses, overlaps with each other, the engine and the host.
extension PreflightChecker {

    func networkChecks() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var subnets: [(network: String, subnet: Subnet, location: SourceLocation)] = []
        for network in project.networks where !network.external {
            for config in network.ipam {
                guard let text = config.subnet, let subnet = Subnet(text) else { continue }
                for other in subnets where other.subnet.overlaps(subnet) {
                    var d = Diagnostic.error("subnet-overlap", "subnet \(text) of network '\(network.name)' overlaps subnet \(other.subnet) of network '\(other.network)'", at: config.location)
                    d.related = [.init(location: other.location, message: "'\(other.network)' declares \(other.subnet) here")]
                    diagnostics.append(d)
                }
                for engineNetwork in options.engine.networks where engineNetwork.name != network.engineName {
                    for engineSubnet in engineNetwork.subnets {
                        guard let existing = Subnet(engineSubnet), existing.overlaps(subnet) else { continue }
                        diagnostics.append(.error("subnet-overlap", "subnet \(text) of network '\(network.name)' overlaps subnet \(engineSubnet) of the existing engine network '\(engineNetwork.name)'", at: config.location))
                    }
                }
                for route in options.hostRoutes {
                    guard let existing = Subnet(route), existing.overlaps(subnet), existing.prefixLength > 0 else { continue }
                    diagnostics.append(.error("subnet-overlap", "subnet \(text) of network '\(network.name)' overlaps the host route \(route)", at: config.location))
                }
                subnets.append((network.name, subnet, config.location))
            }
        }
        var addresses: [String: (service: String, location: SourceLocation)] = [:]
        for service in project.services {
            for attachment in service.networks {
                guard let address = attachment.ipv4Address, let location = attachment.ipv4Location,
                      let network = project.network(named: attachment.name) else { continue }
                let declared = network.ipam.compactMap { $0.subnet.flatMap(Subnet.init) }.filter { $0.family == .ipv4 }
                if declared.isEmpty && !network.external {
                    diagnostics.append(.error("address-out-of-subnet", "service '\(service.name)' sets ipv4_address \(address) on network '\(network.name)', which declares no subnet; the engine accepts fixed addresses only on networks with a configured subnet", at: location, service: service.name))
                } else if !declared.isEmpty && !declared.contains(where: { $0.contains(address: address) }) {
                    var d = Diagnostic.error("address-out-of-subnet", "ipv4_address \(address) of service '\(service.name)' is outside the subnet \(declared.map(\.text).joined(separator: ", ")) of network '\(network.name)'", at: location, service: service.name)
                    if let ipam = network.ipam.first { d.related = [.init(location: ipam.location, message: "subnet declared here")] }
                    diagnostics.append(d)
                }
                let key = "\(network.name)|\(address)"
                if let first = addresses[key] {
                    var d = Diagnostic.error("address-duplicate", "service '\(service.name)' and service '\(first.service)' both take \(address) on network '\(network.name)'", at: location, service: service.name)
                    d.related = [.init(location: first.location, message: "'\(first.service)' takes it here", service: first.service)]
                    diagnostics.append(d)
                } else {
                    addresses[key] = (service.name, location)
                }
                if service.replicas > 1 {
                    diagnostics.append(.error("address-duplicate", "service '\(service.name)' has \(service.replicas) replicas but one fixed address \(address); each replica would take it", at: location, service: service.name))
                }
            }
        }
        return diagnostics
    }
}
