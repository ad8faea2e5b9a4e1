import BerthDiagnostics
import BerthSpec

/// Ports inside a shared network namespace. Services joined with `network_mode: service:X` live in X's namespace (every
/// replica joins X's first container), so they share its ports: two of them binding one port clash, although neither
/// publishes it. A port a service binds is one it names in `ports` (the container side), `expose`, or its image's
/// ExposedPorts. Namespaces on the host network are host claims (`collectClaims`).
extension PreflightChecker {

    /// One port bound inside a namespace.
    struct NamespaceClaim {
        var service: String
        var replica: Int?
        var port: Int
        var proto: String
        var location: SourceLocation?
    }

    /// The service whose namespace `service` ends up in, following `service:` links; nil when that is not a shared
    /// bridge namespace (the host network, `none`, another container, or a cycle).
    func namespaceOwner(_ service: Service) -> Service? {
        var current = service
        var seen: Set<String> = [service.name]
        while case .service(let parent)? = current.networkMode {
            guard let next = project.service(named: parent), seen.insert(next.name).inserted else { return nil }
            current = next
        }
        switch current.networkMode {
        case .host?, .none?, .container?: return nil
        default: return current
        }
    }

    /// The container ports a service binds, each once.
    func boundPorts(_ service: Service, includePorts: Bool) -> [(port: Int, proto: String, location: SourceLocation?)] {
        var result: [(port: Int, proto: String, location: SourceLocation?)] = []
        var seen = Set<String>()
        func add(_ port: Int, _ proto: String, _ location: SourceLocation?) {
            if seen.insert("\(port)/\(proto)").inserted { result.append((port, proto, location)) }
        }
        if includePorts { for port in service.ports { add(port.target, port.protocol, port.location) } }
        for exposed in service.expose {
            for port in exposed.ports.lower...min(exposed.ports.upper, exposed.ports.lower + 1024) { add(port, exposed.protocol, exposed.location) }
        }
        let imagePorts: [(port: Int, proto: String)] = service.image.flatMap { options.engine.images[$0]?.exposed } ?? []
        for (port, proto) in imagePorts { add(port, proto, service.location) }
        return result
    }

    func namespacePortConflicts() -> [Diagnostic] {
        var members: [String: [Service]] = [:]
        for service in project.services where service.replicas > 0 {
            guard case .service? = service.networkMode, let owner = namespaceOwner(service) else { continue }
            members[owner.name, default: []].append(service)
        }
        var diagnostics: [Diagnostic] = []
        for owner in project.services where members[owner.name] != nil {
            var claims: [NamespaceClaim] = boundPorts(owner, includePorts: true).map {
                NamespaceClaim(service: owner.name, replica: nil, port: $0.port, proto: $0.proto, location: $0.location)
            }
            for member in members[owner.name] ?? [] {
                let ports = boundPorts(member, includePorts: false)
                for replica in 1...max(member.replicas, 1) {
                    claims += ports.map { NamespaceClaim(service: member.name, replica: member.replicas > 1 ? replica : nil, port: $0.port, proto: $0.proto, location: $0.location) }
                }
            }
            var first: [String: NamespaceClaim] = [:]
            // Later claimants of one port, folded by service and line: one finding names its replicas.
            var clashes: [(key: String, claims: [NamespaceClaim], earlier: NamespaceClaim)] = []
            for claim in claims {
                let key = "\(claim.port)/\(claim.proto)"
                guard let earlier = first[key] else { first[key] = claim; continue }
                let group = "\(claim.service)|\(claim.location.map { "\($0)" } ?? "")|\(key)"
                if let index = clashes.firstIndex(where: { $0.key == group }) { clashes[index].claims.append(claim) } else {
                    clashes.append((group, [claim], earlier))
                }
            }
            for clash in clashes {
                let later = clash.claims[0], earlier = clash.earlier
                let replicas = clash.claims.compactMap(\.replica)
                let who = replicas.isEmpty ? "service '\(later.service)'" : "replica\(replicas.count > 1 ? "s" : "") \(Self.numbers(replicas)) of service '\(later.service)'"
                let holder = earlier.replica.map { "replica \($0) of service '\(earlier.service)'" } ?? "service '\(earlier.service)'"
                let verb = replicas.count > 1 ? "bind" : "binds"
                var d = Diagnostic.error("namespace-port-conflict",
                    "\(who) \(verb) port \(later.port)/\(later.proto) in the network namespace of service '\(owner.name)', where \(holder) already binds it: services joined with 'network_mode: service:\(owner.name)' share its ports",
                    at: later.location, service: later.service)
                d.related = [.init(location: earlier.location, message: "'\(earlier.service)' binds \(later.port)/\(later.proto) here", service: earlier.service)]
                diagnostics.append(d)
            }
        }
        return diagnostics
    }
}
