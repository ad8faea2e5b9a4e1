import BerthDiagnostics
import BerthGraph
import BerthSpec

/// `berth check --stack` and the pre-flight of `stack deploy`: what a swarm would refuse or leave `Pending`, predicted
/// from its nodes and the tasks already placed, at the lines that cause it.
///
/// - a replica no node can take: constraints that match no node, a host-mode port taken on every node that could run
///   it, `max_replicas_per_node` too low for the nodes left, reservations that fit nowhere (`unschedulable-replica`);
/// - a global service's task left pending on a node it is tied to (`unschedulable-replica`);
/// - an outcome that depends on the order the scheduler takes competing services in (`placement-order`);
/// - an ingress port another service publishes (`ingress-port-conflict`), a constraint swarm refuses;
/// - every key a swarm does not apply (`swarm-unsupported`).
///
/// Swarm knows only its own tasks: a process or a plain container holding a port on a node is not seen here.
public enum StackChecker {
    public struct Result: Sendable {
        public var diagnostics: [Diagnostic] = []
        /// The scheduler model's run, for `ports --stack`.
        public var groups: [SwarmScheduler.Group] = []
        public var outcome: SwarmScheduler.Outcome?
        public var nodes: [ClusterSnapshot.Node] = []

        public init(diagnostics: [Diagnostic] = []) { self.diagnostics = diagnostics }
    }

    /// `prune`: the deploy removes the stack's services that are not in the files; else they keep their tasks.
    public static func check(_ project: ComposeProject, stack: String, cluster: ClusterSnapshot, prune: Bool = false) -> Result {
        var result = Result()
        var diagnostics: [Diagnostic] = []
        for service in project.services {
            diagnostics += unsupported(service, project: project)
            // The engine-version rule of `check`, for what a swarm service spec carries.
            if service.healthcheck?.startInterval != nil, !EngineSnapshot.Capabilities.version(cluster.apiVersion, atLeast: "1.44") {
                diagnostics.append(.warning("needs-newer-engine", "service '\(service.name)': 'healthcheck.start_interval' needs engine API 1.44; this swarm's manager speaks \(cluster.apiVersion ?? "?"), so it is not sent",
                                            at: service.healthcheckLocation ?? service.location, service: service.name))
            }
        }
        for (kind, objects) in [("secret", project.secrets), ("config", project.configs)] {
            for object in objects where !object.external {
                guard let name = object.explicitName else { continue }
                diagnostics.append(.warning("object-cannot-roll", "\(kind) '\(object.name)' keeps the name '\(name)' as written: a swarm \(kind) cannot change, so a changed content is not deployed and does not roll the services (without name:, Berth names it after its content)",
                                            at: object.location))
            }
        }
        let others = cluster.without(stack: stack, services: prune ? nil : Set(project.services.map { "\(stack)_\($0.name)" }))
        diagnostics += ingressConflicts(project, stack: stack, cluster: others)

        let (graph, _) = ServiceGraph.build(project)
        let level = Dictionary(graph.levels().enumerated().flatMap { index, names in names.map { ($0, index) } }, uniquingKeysWith: { first, _ in first })
        let ordered = project.services.contains { $0.dependsOn.contains { $0.condition != .started } }
        var groups: [SwarmScheduler.Group] = []
        var services: [Service] = []
        for service in project.services {
            var constraints: [SwarmConstraint] = []
            for text in service.swarm.constraints {
                guard let constraint = SwarmConstraint(text) else {
                    diagnostics.append(.error("invalid-constraint", "swarm refuses the placement constraint '\(text)': it takes KEY==VALUE or KEY!=VALUE",
                                              at: constraintLocation(service), service: service.name))
                    continue
                }
                if !constraint.isKnown {
                    diagnostics.append(.warning("invalid-constraint", "swarm accepts the constraint '\(text)' but its key '\(constraint.key)' matches no node (it knows \(SwarmConstraint.knownKeys.joined(separator: ", ")), node.labels.KEY and engine.labels.KEY)",
                                                at: constraintLocation(service), service: service.name))
                }
                constraints.append(constraint)
            }
            let ports = service.ports.filter { $0.mode == "host" }.flatMap { port in
                (port.published.map { Array($0.lower...$0.upper) } ?? []).filter { $0 != 0 }.map { ClusterSnapshot.HostPort($0, port.protocol) }
            }
            let mode = SwarmScheduler.Group.Mode(rawValue: service.swarm.mode ?? "replicated") ?? .replicated
            groups.append(SwarmScheduler.Group(
                name: service.name, mode: mode, replicas: service.replicas, constraints: constraints, hostPorts: ports,
                nanoCPUs: service.swarm.reservedNanoCPUs ?? 0, memoryBytes: service.options.memoryReservation ?? 0,
                generic: Dictionary(service.swarm.genericResources.map { ($0.key, Int64($0.value ?? "0") ?? 0) }, uniquingKeysWith: +),
                maxPerNode: service.swarm.maxReplicasPerNode, spreads: service.swarm.spreads, level: level[service.name] ?? 0))
            services.append(service)
        }
        let scheduler = SwarmScheduler(nodes: cluster.nodes, groups: groups, ordered: ordered)
        // Ports held outside swarm: the scheduler sends a task there anyway, and it fails to start.
        for (service, group) in zip(services, groups) {
            let usable = Set(scheduler.taskNodes(group).filter { cluster.nodes[$0].state == "ready" && cluster.nodes[$0].availability == "active" }.map { cluster.nodes[$0].id })
            let held = cluster.outside.filter { usable.contains($0.nodeID) && group.hostPorts.contains($0.port) }
            // Certain for a global service (a task is tied to that node) or when every node it may use is held.
            let certain = group.isGlobal || Set(held.map(\.nodeID)) == usable
            for claim in held {
                let node = cluster.nodes.first { $0.id == claim.nodeID }?.hostname ?? claim.nodeID
                diagnostics.append(Diagnostic(certain ? .error : .warning, code: "port-held-outside-swarm", "host port \(claim.port) is held on \(node) by \(claim.holder), which is not a swarm task: the scheduler does not know it, so a task of '\(service.name)' sent there fails to start (address already in use)",
                                          at: location(of: .hostPort, service, port: claim.port), service: service.name))
            }
        }
        let outcome = scheduler.run(existing: others.tasks)
        for (index, service) in services.enumerated() {
            diagnostics += placement(service, index: index, scheduler: scheduler, outcome: outcome)
        }
        result.diagnostics = diagnostics
        result.groups = groups
        result.outcome = outcome
        result.nodes = cluster.nodes
        return result
    }

    static func constraintLocation(_ service: Service) -> SourceLocation {
        service.swarm.locations["placement.constraints"] ?? service.swarm.locations["placement"] ?? service.location
    }

    /// Where a filter's cause is written in the service.
    static func location(of filter: SwarmScheduler.Filter, _ service: Service, port: ClusterSnapshot.HostPort?) -> SourceLocation {
        switch filter {
        case .constraints: return constraintLocation(service)
        case .resources: return service.swarm.locations["resources"] ?? service.location
        case .maxReplicas: return service.swarm.locations["placement.max_replicas_per_node"] ?? service.swarm.locations["placement"] ?? service.location
        case .hostPort:
            let written = service.ports.first { mapping in
                guard mapping.mode == "host", let range = mapping.published, let port else { return false }
                return mapping.protocol == port.proto && range.lower <= port.port && port.port <= range.upper
            }
            return written?.location ?? service.location
        case .ready: return service.replicasLocation ?? service.swarm.locations["mode"] ?? service.location
        }
    }

    /// The scheduler's settled error, as `docker service ps` shows it: parts by count, highest first.
    static func explanation(_ failures: [SwarmScheduler.Filter: [Int]]) -> String {
        failures.sorted { ($0.value.count, -$0.key.rawValue) > ($1.value.count, -$1.key.rawValue) }
            .map { $0.key.explain($0.value.count) }.joined(separator: "; ")
    }

    static func placement(_ service: Service, index: Int, scheduler: SwarmScheduler, outcome: SwarmScheduler.Outcome) -> [Diagnostic] {
        let group = scheduler.groups[index]
        let desired = outcome.desired[index]
        let placed = outcome.placed[index]
        let names = scheduler.nodes.map(\.hostname)
        if group.isGlobal && desired == 0 {
            return [.warning("no-eligible-node", "no node can run a task of the global service '\(service.name)' (\(scheduler.nodes.isEmpty ? "the swarm has no nodes" : "its constraints match no active node")): it runs nowhere",
                             at: constraintLocation(service), service: service.name)]
        }
        // Pending or not is what matters: a count that varies with the order, but stays short in every order, is certain.
        let short = Set(placed.map { $0 < desired })
        guard outcome.decided[index], short.count == 1, let most = placed.max() else {
            let rivals = outcome.rivals[index].map { "'\(scheduler.groups[$0].name)'" }
            let range = placed.isEmpty ? "" : " (\(placed.min()!) to \(placed.max()!) of \(desired) placed)"
            let shared = sharedClaims(group, with: outcome.rivals[index].map { scheduler.groups[$0] })
            return [.warning("placement-order", outcome.decided[index]
                ? "whether every task of '\(service.name)' is placed depends on the order in which swarm's scheduler takes it and \(rivals.joined(separator: ", "))\(range): they compete for \(shared) on the same nodes; constraints that keep them apart make the outcome certain"
                : "'\(service.name)' competes with \(rivals.joined(separator: ", ")) and \(group.spreads.isEmpty && !outcome.rivals[index].contains { !scheduler.groups[$0].spreads.isEmpty } ? "there are too many orders to follow" : "spread preferences place by label branches, which Berth does not model"): whether every task is placed is not predicted",
                at: service.location, service: service.name)]
        }
        guard most < desired else { return [] }
        let count = outcome.sample[index].values.reduce(0, +)
        let missing = placed.count == 1 ? "\(desired - most)" : "at least \(desired - most)"
        let failures = outcome.failures[index]
        let dominant = failures.max { ($0.value.count, -$0.key.rawValue) < ($1.value.count, -$1.key.rawValue) }?.key ?? .ready
        let port = dominant == .hostPort ? group.hostPorts.first { port in failures[.hostPort]?.contains { outcome.holders[$0][port] != nil } == true } : nil
        var detail = ""
        if let port, let blocked = failures[.hostPort] {
            let holding = blocked.filter { outcome.holders[$0][port] != nil }
            let holders = holding.compactMap { outcome.holders[$0][port] }
            detail = ": no node left with host port \(port) free: \(holding.count == 1 ? "node" : "nodes") \(holding.map { names[$0] }.joined(separator: ", ")) \(holding.count == 1 ? "holds" : "hold") it (\(holders.joined(separator: ", ")))"
        } else if dominant == .resources {
            detail = ": \(reservationText(group)) fits on no node that could run it, counting what is reserved there"
        } else if dominant == .constraints {
            detail = ": the constraints \(group.constraints.map { "'\($0.key)\($0.equal ? "==" : "!=")\($0.value)'" }.joined(separator: ", ")) match \(scheduler.nodes.filter { node in group.constraints.allSatisfy { $0.matches(node) } }.count) of \(scheduler.nodes.count) nodes"
        } else if dominant == .maxReplicas, let max = group.maxPerNode {
            detail = ": max_replicas_per_node \(max) on the \(scheduler.nodes.count - (failures.filter { $0.key != .maxReplicas }.values.map(\.count).reduce(0, +))) node(s) that could run it leaves room for \(count)"
        }
        let where_ = location(of: dominant, service, port: port)
        if group.isGlobal {
            let pending = failures.flatMap { filter, nodes in nodes.map { ($0, filter) } }.sorted { $0.0 < $1.0 }.map { "\(names[$0.0]) (\($0.1.explain(1)))" }
            return [.error("unschedulable-replica", "the global service '\(service.name)' stays Pending on \(pending.joined(separator: ", "))\(detail)",
                           at: where_, service: service.name)]
        }
        return [.error("unschedulable-replica", "\(missing) of \(desired) replicas of '\(service.name)' cannot be placed and stay Pending: no suitable node (\(explanation(failures)))\(detail)",
                       at: where_, service: service.name)]
    }

    static func reservationText(_ group: SwarmScheduler.Group) -> String {
        var parts: [String] = []
        if group.nanoCPUs > 0 { parts.append("\(Double(group.nanoCPUs) / 1e9) CPUs") }
        if group.memoryBytes > 0 { parts.append("\(group.memoryBytes / 1_048_576) MiB of memory") }
        for (kind, value) in group.generic.sorted(by: { $0.key < $1.key }) { parts.append("\(value) \(kind)") }
        return "the reservation of " + parts.joined(separator: " and ")
    }

    static func sharedClaims(_ group: SwarmScheduler.Group, with rivals: [SwarmScheduler.Group]) -> String {
        var shared: [String] = []
        let ports = Set(rivals.flatMap(\.hostPorts)).intersection(group.hostPorts).sorted()
        if !ports.isEmpty { shared.append("host port\(ports.count == 1 ? "" : "s") \(ports.map(\.description).joined(separator: ", "))") }
        if group.reserves && rivals.contains(where: \.reserves) { shared.append("reservations") }
        return shared.isEmpty ? "nodes" : shared.joined(separator: " and ")
    }

    /// An ingress port is the whole swarm's: swarm refuses a service publishing it again (another stack's service, or
    /// another of this stack's), a host-mode port another service publishes in ingress mode and the other way round
    /// (verified: "already in use by service 'x' as an ingress port" / "as a host-published port"), and ingress ports
    /// with `endpoint_mode: dnsrr`.
    static func ingressConflicts(_ project: ComposeProject, stack: String, cluster: ClusterSnapshot) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var ingress: [ClusterSnapshot.HostPort: String] = [:], host: [ClusterSnapshot.HostPort: String] = [:]
        for claim in cluster.published {
            if claim.ingress { ingress[claim.port] = ingress[claim.port] ?? claim.service } else { host[claim.port] = host[claim.port] ?? claim.service }
        }
        for service in project.services {
            let name = "\(stack)_\(service.name)"
            for mapping in service.ports {
                guard let published = mapping.published else { continue }
                let isIngress = mapping.mode != "host"
                if isIngress && service.swarm.endpointMode == "dnsrr" {
                    diagnostics.append(.error("ingress-port-conflict", "a port published in ingress mode cannot be used with endpoint_mode: dnsrr (swarm refuses the service): publish it with mode: host",
                                              at: mapping.location, service: service.name))
                    continue
                }
                for number in published.lower...published.upper where number != 0 {
                    let port = ClusterSnapshot.HostPort(number, mapping.protocol)
                    let clash = ingress[port].map { ($0, "an ingress port") } ?? (isIngress ? host[port].map { ($0, "a host-published port") } : nil)
                    if let (holder, how) = clash, holder != name {
                        diagnostics.append(.error("ingress-port-conflict", "port \(port) is already in use by service '\(holder)' as \(how): swarm refuses to create '\(name)'",
                                                  at: mapping.location, service: service.name))
                        break
                    }
                    if isIngress { ingress[port] = name } else { host[port] = host[port] ?? name }
                }
            }
        }
        return diagnostics
    }

    /// What a swarm does not apply, at the service's lines: every key the service writes that `stack deploy` does not
    /// send (`ComposeKeys.stackApplied`), a host address on an ingress port, GPU reservations, and `depends_on`
    /// options a deploy cannot honour.
    public static func unsupported(_ service: Service, project: ComposeProject) -> [Diagnostic] {
        var found: [(String, SourceLocation)] = service.writtenKeys.filter { !ComposeKeys.stackApplied.contains($0.key) && !$0.key.hasPrefix("x-") }
            .map { ($0.key, $0.value) }.sorted { $0.1 < $1.1 }
        for port in service.ports where port.hostIP != nil && port.mode != "host" {
            found.append(("ports (host address \(port.hostIP ?? ""); a swarm publishes on every address)", port.location))
        }
        if !service.options.deviceRequests.isEmpty { found.append(("deploy.resources.reservations.devices", service.swarm.locations["resources"] ?? service.location)) }
        if let location = service.writtenKeys["depends_on"] {
            if service.dependsOn.contains(where: { !$0.required }) { found.append(("depends_on.required: false (the dependency is waited for)", location)) }
            if service.dependsOn.contains(where: { $0.restart }) { found.append(("depends_on.restart: true", location)) }
        }
        var diagnostics: [Diagnostic] = found.map { key, location in
            .warning("swarm-unsupported", "'\(key)' is not applied in a swarm (docker stack deploy ignores it)", at: location, service: service.name)
        }
        // A job completes; a replicated or global service's tasks run on (and are restarted), so they never do.
        for dependency in service.dependsOn where dependency.condition == .completedSuccessfully {
            let mode = project.service(named: dependency.service)?.swarm.mode ?? "replicated"
            if !mode.hasSuffix("-job") {
                diagnostics.append(.warning("swarm-unsupported", "'\(dependency.service)' is a \(mode) service, whose tasks do not complete: service_completed_successfully is waited for as service_started",
                                            at: dependency.location, service: service.name))
            }
        }
        return diagnostics
    }
}
