import BerthDiagnostics
import BerthGraph
import BerthSpec

/// Port claims (every way a service claims a host port) and the conflicts between them.
extension PreflightChecker {

    /// Every host port claim of the project, and the mapping errors found while collecting them.
    public func collectClaims() -> ([PortClaim], [Diagnostic]) {
        var claims: [PortClaim] = []
        var diagnostics: [Diagnostic] = []
        for service in project.services {
            let instances = max(service.replicas, 1)
            let replicaNumbers: [Int?] = instances == 1 ? [nil] : (1...instances).map { $0 }
            switch service.effectiveNetworkMode {
            case .host:
                for port in service.ports {
                    if let published = port.published, published.lower != port.target || published.upper != port.target {
                        var d = Diagnostic.error("host-network-port-mapping",
                            "service '\(service.name)' uses the host network, where port \(published) cannot be mapped to \(port.target): the process binds \(port.target) on the host itself",
                            at: port.location, service: service.name)
                        d.related = service.networkModeLocation.map { [.init(location: $0, message: "host network chosen here", service: service.name)] } ?? []
                        diagnostics.append(d)
                    }
                    for replica in replicaNumbers {
                        claims.append(PortClaim(service: service.name, replica: replica, address: BindAddress(port.hostIP),
                                                ports: PortRange(port.target), protocol: port.protocol, networkMode: "host",
                                                origin: .hostNetworkPort, location: port.location))
                    }
                }
                for exposed in service.expose {
                    for replica in replicaNumbers where !claims.contains(where: { $0.service == service.name && $0.ports == exposed.ports && $0.protocol == exposed.protocol && $0.replica == replica }) {
                        claims.append(PortClaim(service: service.name, replica: replica, address: .all, ports: exposed.ports,
                                                protocol: exposed.protocol, networkMode: "host", origin: .expose, location: exposed.location))
                    }
                }
                let imagePorts: [(port: Int, proto: String)] = service.image.flatMap { options.engine.images[$0]?.exposed } ?? []
                for (port, proto) in imagePorts {
                    if claims.contains(where: { $0.service == service.name && $0.ports.lower == port && $0.protocol == proto }) { continue }
                    for replica in replicaNumbers {
                        claims.append(PortClaim(service: service.name, replica: replica, address: .all, ports: PortRange(port),
                                                protocol: proto, networkMode: "host", origin: .image,
                                                location: service.networkModeLocation ?? service.location))
                    }
                }
            case .service(let target):
                // A service in another service's namespace binds into that namespace: on the host network, its
                // `expose` ports are host ports. (Its `ports` are refused by the network-mode checks.)
                guard project.service(named: target)?.networkMode == .host else { continue }
                for exposed in service.expose {
                    for replica in replicaNumbers {
                        claims.append(PortClaim(service: service.name, replica: replica, address: .all, ports: exposed.ports,
                                                protocol: exposed.protocol, networkMode: "service:\(target) (host)", origin: .expose,
                                                location: exposed.location))
                    }
                }
            case NetworkMode.none, .container:
                continue  // no own ports; misuse is reported by the network-mode checks
            case .bridge, .other:
                for port in service.ports {
                    guard let published = port.published else { continue }
                    // A published range with a single target: the engine picks one free port, nothing fixed is claimed.
                    if published.count > 1 { continue }
                    for replica in replicaNumbers {
                        claims.append(PortClaim(service: service.name, replica: replica, address: BindAddress(port.hostIP),
                                                ports: published, protocol: port.protocol,
                                                networkMode: service.networkMode?.description ?? "bridge", origin: .published,
                                                location: port.location))
                    }
                }
            }
        }
        return (claims, diagnostics)
    }

    /// A sweep over claims sorted by port, per protocol: each claim is compared only with the claims whose ranges are
    /// still open, so the check is O(n log n) plus the conflicts found. When N claims share a port, each later one (in
    /// file order) gets one error, pointing at the first: N-1 errors, not one per pair.
    func portConflicts(_ claims: [PortClaim]) -> [Diagnostic] {
        /// Whether claim `a` comes before claim `b`: in file order, then by replica.
        func precedes(_ a: PortClaim, _ b: PortClaim) -> Bool {
            if a.location != b.location { return isLater(b.location, than: a.location) }
            return (a.replica ?? 0) < (b.replica ?? 0)
        }
        var first: [Int: Int] = [:]  // a later claim's index -> the earliest claim it clashes with
        var byProtocol: [String: [Int]] = [:]
        for (index, claim) in claims.enumerated() { byProtocol[claim.protocol, default: []].append(index) }
        for (_, group) in byProtocol.sorted(by: { $0.key < $1.key }) {
            let sorted = group.sorted { (claims[$0].ports.lower, claims[$0].ports.upper) < (claims[$1].ports.lower, claims[$1].ports.upper) }
            var active: [Int] = []  // claims whose upper bound has not been passed
            for index in sorted {
                let claim = claims[index]
                active.removeAll { claims[$0].ports.upper < claim.ports.lower }
                for other in active where claim.address.overlaps(claims[other].address) {
                    let (later, earlier) = precedes(claims[other], claim) ? (index, other) : (other, index)
                    if let known = first[later], precedes(claims[known], claims[earlier]) { continue }
                    first[later] = earlier
                }
                active.append(index)
            }
        }
        // Replicas of one entry that clash with the same earlier claim are one finding, which names them.
        var groups: [[Int]] = []
        var groupOf: [String: Int] = [:]
        for later in first.keys.sorted() {
            guard let earlier = first[later] else { continue }
            let a = claims[later], b = claims[earlier]
            let key = "\(a.service)|\(a.location)|\(a.protocol)|\(a.ports)|\(b.service)|\(b.replica ?? 0)|\(b.location)|\(b.ports)"
            if let index = groupOf[key], a.replica != nil {
                groups[index].append(later)
            } else {
                groupOf[key] = groups.count
                groups.append([later])
            }
        }
        return groups.map { group in
            var d = conflict(claims[group[0]], claims[first[group[0]]!])
            guard group.count > 1 else { return d }
            let later = claims[group[0]], earlier = claims[first[group[0]]!]
            let replicas = Self.numbers(group.compactMap { claims[$0].replica })
            let overlap = PortRange(max(later.ports.lower, earlier.ports.lower), min(later.ports.upper, earlier.ports.upper))
            d.message = later.service == earlier.service
                ? "replicas \(replicas) of service '\(later.service)' bind host port \(overlap)/\(later.protocol), which replica \(earlier.replica ?? 1) already binds; only one replica can (use a port range or drop the fixed port)"
                : "replicas \(replicas) of service '\(later.service)' bind host port \(overlap)/\(later.protocol) on \(later.address.spoken), which service '\(earlier.who)' already binds on \(earlier.address.spoken)"
            d.message += originNote(later)
            return d
        }
    }

    /// `2, 3 and 5`, or `2-4` for a run.
    static func numbers(_ values: [Int]) -> String {
        let sorted = values.sorted()
        if let first = sorted.first, let last = sorted.last, sorted.count > 2, last - first + 1 == sorted.count { return "\(first)-\(last)" }
        let text = sorted.map(String.init)
        return text.count <= 1 ? text.joined() : text.dropLast().joined(separator: ", ") + " and " + text.last!
    }

    func conflict(_ a: PortClaim, _ b: PortClaim) -> Diagnostic {
        let (later, earlier) = isLater(a.location, than: b.location) || (a.location == b.location && (a.replica ?? 0) > (b.replica ?? 0)) ? (a, b) : (b, a)
        let overlap = PortRange(max(a.ports.lower, b.ports.lower), min(a.ports.upper, b.ports.upper))
        let what = later.service == earlier.service && later.replica != nil
            ? "replicas of service '\(later.service)' all bind host port \(overlap)/\(later.protocol); only one can (use a port range or drop the fixed port)"
            : "service '\(later.who)' binds host port \(overlap)/\(later.protocol) on \(later.address.spoken), which service '\(earlier.who)' already binds on \(earlier.address.spoken)"
        var d = Diagnostic.error("port-conflict", what + originNote(later), at: later.location, service: later.service)
        d.related = [.init(location: earlier.location, message: "'\(earlier.who)' claims \(earlier.portText) here (\(earlier.networkMode) network\(earlier.origin == .image ? ", from the image's ExposedPorts" : ""))", service: earlier.service)]
        return d
    }

    func originNote(_ claim: PortClaim) -> String {
        switch claim.origin {
        case .image: " (from the image's ExposedPorts, as reported by the engine)"
        case .expose: " (from 'expose' on the host network)"
        default: ""
        }
    }
}
