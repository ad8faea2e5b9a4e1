import BerthDiagnostics
import BerthGraph
import BerthSpec

/// Finds what would break before anything is launched: host-port conflicts, network-mode misuse, subnet and address
/// problems, name clashes, and clashes with the host and the engine.
public struct PreflightChecker: Sendable {
    public struct Options: Sendable {
        public var hostSockets: [HostSocket]?
        public var ephemeralRange: ClosedRange<Int>?
        public var engine: EngineSnapshot
        /// Host routes (`ip route` destinations) that a project subnet must not overlap.
        public var hostRoutes: [String]

        public init(hostSockets: [HostSocket]? = nil, ephemeralRange: ClosedRange<Int>? = nil, engine: EngineSnapshot = .unreachable,
                    hostRoutes: [String] = []) {
            self.hostSockets = hostSockets
            self.ephemeralRange = ephemeralRange
            self.engine = engine
            self.hostRoutes = hostRoutes
        }
    }

    public struct Report: Sendable {
        public var claims: [PortClaim]
        public var diagnostics: [Diagnostic]
    }

    public let project: ComposeProject
    public let options: Options
    private let fileRank: [String: Int]

    public init(project: ComposeProject, options: Options) {
        self.project = project
        self.options = options
        self.fileRank = Dictionary(uniqueKeysWithValues: project.files.enumerated().map { ($1, $0) })
    }

    /// Orders locations by file order, then line and column.
    func isLater(_ a: SourceLocation, than b: SourceLocation) -> Bool {
        let ra = fileRank[a.file] ?? Int.max, rb = fileRank[b.file] ?? Int.max
        if ra != rb { return ra > rb }
        return (a.line, a.column) > (b.line, b.column)
    }

    public func run() -> Report {
        var diagnostics: [Diagnostic] = []
        let (claims, claimDiagnostics) = collectClaims()
        diagnostics += claimDiagnostics
        diagnostics += portConflicts(claims)
        diagnostics += networkModeChecks()
        diagnostics += networkChecks()
        diagnostics += nameChecks()
        diagnostics += safetyChecks(claims)
        diagnostics += hostChecks(claims)
        diagnostics += engineChecks(claims)
        diagnostics.sort { a, b in
            guard let la = a.location, let lb = b.location else { return a.location != nil }
            return isLater(lb, than: la)
        }
        return Report(claims: claims, diagnostics: diagnostics)
    }

    // MARK: claims

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
                        claims.append(PortClaim(service: service.name, replica: replica, address: .anyIPv6, ports: exposed.ports,
                                                protocol: exposed.protocol, networkMode: "host", origin: .expose, location: exposed.location))
                    }
                }
                if let image = service.image, let exposed = options.engine.images[image]?.exposedPorts {
                    for entry in exposed {
                        let parts = entry.split(separator: "/")
                        guard let port = parts.first.flatMap({ Int($0) }) else { continue }
                        let proto = parts.count > 1 ? String(parts[1]) : "tcp"
                        if claims.contains(where: { $0.service == service.name && $0.ports.lower == port && $0.protocol == proto }) { continue }
                        for replica in replicaNumbers {
                            claims.append(PortClaim(service: service.name, replica: replica, address: .anyIPv6, ports: PortRange(port),
                                                    protocol: proto, networkMode: "host", origin: .image,
                                                    location: service.networkModeLocation ?? service.location))
                        }
                    }
                }
            case .service(let target):
                // A service in another service's namespace binds into that namespace: on the host network, its
                // `expose` ports are host ports. (Its `ports` are refused by the network-mode checks.)
                guard project.service(named: target)?.networkMode == .host else { continue }
                for exposed in service.expose {
                    for replica in replicaNumbers {
                        claims.append(PortClaim(service: service.name, replica: replica, address: .anyIPv6, ports: exposed.ports,
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
    /// still open, so the check is O(n log n) plus the conflicts found.
    func portConflicts(_ claims: [PortClaim]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var byProtocol: [String: [PortClaim]] = [:]
        for claim in claims { byProtocol[claim.protocol, default: []].append(claim) }
        for (_, group) in byProtocol.sorted(by: { $0.key < $1.key }) {
            let sorted = group.sorted { ($0.ports.lower, $0.ports.upper) < ($1.ports.lower, $1.ports.upper) }
            var active: [PortClaim] = []  // claims whose upper bound has not been passed
            for claim in sorted {
                active.removeAll { $0.ports.upper < claim.ports.lower }
                for other in active where claim.address.overlaps(other.address) {
                    diagnostics.append(conflict(claim, other))
                }
                active.append(claim)
            }
        }
        return diagnostics
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

    // MARK: network modes

    func networkModeChecks() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for service in project.services {
            guard let mode = service.networkMode, let modeLocation = service.networkModeLocation else { continue }
            let related: [Diagnostic.Related] = [.init(location: modeLocation, message: "network_mode '\(mode)' set here", service: service.name)]
            switch mode {
            case .host, .none, .service, .container:
                if let networksLocation = service.networksLocation {
                    var d = Diagnostic.error("network-mode-conflict", "service '\(service.name)' sets both 'network_mode: \(mode)' and 'networks'; the engine accepts only one", at: networksLocation, service: service.name)
                    d.related = related
                    diagnostics.append(d)
                }
            default: break
            }
            switch mode {
            case .service, .container:
                var refused: [(String, SourceLocation)] = []
                if let first = service.ports.first { refused.append(("ports", first.location)) }
                if let location = service.hostnameLocation { refused.append(("hostname", location)) }
                if let location = service.dnsLocation { refused.append(("dns", location)) }
                for (field, location) in refused {
                    var d = Diagnostic.error("network-mode-conflict", "service '\(service.name)' joins another container's network namespace ('\(mode)'), so it cannot set '\(field)'", at: location, service: service.name)
                    d.related = related
                    diagnostics.append(d)
                }
            case .none:
                if let first = service.ports.first {
                    var d = Diagnostic.error("network-mode-conflict", "service '\(service.name)' has no network ('network_mode: none'), so its ports cannot be published", at: first.location, service: service.name)
                    d.related = related
                    diagnostics.append(d)
                }
            default: break
            }
        }
        return diagnostics
    }

    // MARK: networks

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

    // MARK: names

    func nameChecks() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var names: [String: (String, SourceLocation)] = [:]
        for service in project.services {
            guard let name = service.containerName, let location = service.containerNameLocation else { continue }
            if let first = names[name] {
                var d = Diagnostic.error("container-name-conflict", "service '\(service.name)' uses container_name '\(name)', which service '\(first.0)' already uses", at: location, service: service.name)
                d.related = [.init(location: first.1, message: "'\(first.0)' sets it here", service: first.0)]
                diagnostics.append(d)
            } else {
                names[name] = (service.name, location)
            }
            if service.replicas > 1 {
                diagnostics.append(.error("container-name-conflict", "service '\(service.name)' sets container_name '\(name)' but has \(service.replicas) replicas; container names must be unique", at: location, service: service.name))
            }
            if let holder = options.engine.containers.first(where: { $0.name == name && $0.project != project.name }) {
                diagnostics.append(.error("container-name-conflict", "container name '\(name)' of service '\(service.name)' is already used by container \(String(holder.id.prefix(12))) outside this project\(holder.project.map { " (project '\($0)')" } ?? "")", at: location, service: service.name))
            }
        }
        // The names Berth generates (<project>-<service>-<n>) may be taken too.
        for service in project.services where service.containerName == nil {
            for number in 1...max(service.replicas, 1) {
                let name = "\(project.name)-\(service.name)-\(number)"
                if let holder = options.engine.containers.first(where: { $0.name == name && ($0.project != project.name || $0.service != service.name) }) {
                    diagnostics.append(.error("container-name-conflict", "container name '\(name)' for service '\(service.name)' is already used by container \(String(holder.id.prefix(12))) outside this project", at: service.location, service: service.name))
                }
            }
        }
        return diagnostics
    }

    // MARK: safety

    func safetyChecks(_ claims: [PortClaim]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for service in project.services where service.networkMode == .host {
            let dangerous = service.capAdd.filter { ["NET_ADMIN", "NET_RAW", "ALL", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_ALL"].contains($0.uppercased()) }
            if service.privileged || !dangerous.isEmpty {
                let what = service.privileged ? "'privileged'" : "cap_add \(dangerous.joined(separator: ", "))"
                let location = service.privileged ? service.privilegedLocation : service.capAddLocation
                var d = Diagnostic.warning("host-network-privileged", "service '\(service.name)' uses the host network with \(what): it can reconfigure the host's network", at: location ?? service.location, service: service.name)
                d.related = service.networkModeLocation.map { [.init(location: $0, message: "host network chosen here", service: service.name)] } ?? []
                diagnostics.append(d)
            }
            if options.engine.reachable && options.engine.osType.lowercased() != "linux" {
                diagnostics.append(.warning("host-network-unsupported", "service '\(service.name)' uses the host network, but the engine runs on '\(options.engine.osType)' (Docker Desktop?), where the host network is the VM's, not this machine's", at: service.networkModeLocation ?? service.location, service: service.name))
            }
        }
        if let range = options.ephemeralRange {
            var seen = Set<String>()
            for claim in claims where claim.origin != .image && range.overlaps(claim.ports.lower...claim.ports.upper) {
                guard seen.insert("\(claim.service)|\(claim.ports)|\(claim.protocol)").inserted else { continue }
                diagnostics.append(Diagnostic(.note, code: "ephemeral-port-range", "host port \(claim.portText) of service '\(claim.service)' is inside the host's ephemeral range \(range.lowerBound)-\(range.upperBound); an outgoing connection may hold it at start", at: claim.location, service: claim.service))
            }
        }
        return diagnostics
    }

    // MARK: host and engine

    /// Services whose containers of this project are running: their ports are held by themselves, not conflicts.
    var runningServices: Set<String> {
        Set(options.engine.containers(ofProject: project.name).filter(\.isRunning).compactMap(\.service))
    }

    func hostChecks(_ claims: [PortClaim]) -> [Diagnostic] {
        guard let sockets = options.hostSockets else { return [] }
        var diagnostics: [Diagnostic] = []
        let running = runningServices
        var reported = Set<String>()
        let byPort = Dictionary(grouping: sockets, by: { "\($0.port)/\($0.protocol)" })
        for claim in claims where !running.contains(claim.service) {
            for port in claim.ports.lower...min(claim.ports.upper, claim.ports.lower + 1024) {
                for socket in byPort["\(port)/\(claim.protocol)"] ?? [] where BindAddress(socket.address == "::" ? "::" : socket.address).overlaps(claim.address) {
                    guard reported.insert("\(claim.service)|\(port)|\(claim.protocol)").inserted else { continue }
                    diagnostics.append(.error("port-in-use", "host port \(port)/\(claim.protocol) of service '\(claim.service)' is already bound on \(socket.address) by \(socket.holder)\(originNote(claim))", at: claim.location, service: claim.service))
                }
            }
        }
        return diagnostics
    }

    func engineChecks(_ claims: [PortClaim]) -> [Diagnostic] {
        let engine = options.engine
        guard engine.reachable else { return [] }
        var diagnostics: [Diagnostic] = []
        for container in engine.containers where container.project != project.name && container.state == "running" {
            for published in container.publishedPorts {
                let address = BindAddress(published.ip.isEmpty ? nil : published.ip)
                for claim in claims where claim.protocol == published.proto && claim.ports.lower <= published.port
                    && published.port <= claim.ports.upper && claim.address.overlaps(address) {
                    diagnostics.append(.error("port-in-use", "host port \(published.port)/\(published.proto) of service '\(claim.service)' is already published by container '\(container.name)'\(container.project.map { " of project '\($0)'" } ?? "")", at: claim.location, service: claim.service))
                }
            }
        }
        for network in project.networks where network.external {
            if !engine.networks.contains(where: { $0.name == network.engineName }) {
                diagnostics.append(.error("unknown-network", "external network '\(network.engineName)' does not exist on the engine (create it with 'docker network create \(network.engineName)')", at: network.location))
            }
        }
        for volume in project.volumes where volume.external {
            if !engine.volumes.contains(where: { $0.name == volume.engineName }) {
                diagnostics.append(.error("unknown-volume", "external volume '\(volume.engineName)' does not exist on the engine", at: volume.location))
            }
        }
        return diagnostics
    }
}
