import BerthDiagnostics
import BerthSpec

/// Picks the host port of each publish of a range onto one container port (`"8000-8010:80"`).
///
/// Verified on this engine (docs/ports-on-the-host.md): the engine takes the port after a cursor of its own, which
/// only moves forward; its allocator knows only the ports it handed out, one table per host address; and when the
/// bind then fails (a host process, a host-network container, or a publish on another address holds the port), it does
/// not try the next port: the container fails to start. So what the engine would pick cannot be foreseen, and may
/// fail. The plan picks instead: the first port of the range that nothing holds, or the port a replica already has,
/// and the container is created with that port. When the host was not scanned, the range is sent as written.
struct PortAssigner {
    let project: ComposeProject
    /// The fixed claims of the whole project (ranges onto one port are not among them).
    let claims: [PortClaim]
    let sockets: [HostSocket]
    let engine: EngineSnapshot

    /// One port already taken on the host.
    struct Taken {
        var address: BindAddress
        var port: Int
        var proto: String
        var holder: String
    }

    /// Fills `pickedPorts` of every create and recreate step, and reports the ranges with no free port.
    func assign(_ steps: inout [DeploymentPlan.ContainerStep]) -> [Diagnostic] {
        let mine = engine.containers(ofProject: project.name)
        let ranged = Dictionary(uniqueKeysWithValues: project.services.map { service in
            (service.name, service.ports.indices.filter { index in
                let port = service.ports[index]
                return (port.published?.count ?? 0) > 1 && service.networkMode != .host
            })
        })
        guard ranged.values.contains(where: { !$0.isEmpty }) else { return [] }
        let leaving = Set(steps.filter { $0.action == .recreate || $0.action == .remove || $0.action == .orphan }.compactMap(\.containerID))
        var taken: [Taken] = claims.flatMap { claim in
            (claim.ports.lower...claim.ports.upper).map { Taken(address: claim.address, port: $0, proto: claim.protocol, holder: "service '\(claim.who)'") }
        }
        // The project's own containers hold their ports unless they are replaced or removed; a proxy socket behind
        // one of them is that container, not another holder.
        let ownProxied = Set(mine.flatMap { $0.publishedPorts.map { "\($0.port)/\($0.proto)" } })
        // Running containers hold their ports: this project's unless replaced or removed, and every other one.
        for container in engine.containers where container.isRunning && !leaving.contains(container.id) {
            let other = container.project != project.name
            guard other || mine.contains(where: { $0.id == container.id }) else { continue }
            let holder = "container '\(container.name)'\(other ? container.project.map { " of project '\($0)'" } ?? "" : "")"
            taken += container.publishedPorts.map { Taken(address: BindAddress($0.ip.isEmpty ? nil : $0.ip), port: $0.port, proto: $0.proto, holder: holder) }
        }
        for socket in sockets where !(socket.process == "docker-proxy" && ownProxied.contains("\(socket.port)/\(socket.protocol)")) {
            taken.append(Taken(address: BindAddress(socket: socket), port: socket.port, proto: socket.protocol, holder: socket.holder))
        }
        var diagnostics: [Diagnostic] = []
        for index in steps.indices where steps[index].action == .create || steps[index].action == .recreate {
            let step = steps[index]
            guard let service = project.service(named: step.service), let entries = ranged[service.name], !entries.isEmpty else { continue }
            let previous = mine.first { $0.id == step.containerID }
            for entry in entries {
                let port = service.ports[entry]
                guard let range = port.published else { continue }
                let address = BindAddress(port.hostIP)
                func holder(of candidate: Int) -> String? {
                    taken.first { $0.port == candidate && $0.proto == port.protocol && $0.address.overlaps(address) }?.holder
                }
                let kept = previous?.publishedPorts.first { $0.target == port.target && $0.proto == port.protocol
                    && range.lower <= $0.port && $0.port <= range.upper }.map(\.port)
                guard let chosen = kept.flatMap({ holder(of: $0) == nil ? $0 : nil })
                        ?? (range.lower...range.upper).first(where: { holder(of: $0) == nil }) else {
                    let holders = Set((range.lower...range.upper).compactMap(holder(of:))).sorted()
                    diagnostics.append(.error("port-range-exhausted",
                        "no port of \(range)/\(port.protocol) is free for \(step.name) (service '\(service.name)'): they are held by \(holders.joined(separator: ", "))",
                        at: port.location, service: service.name))
                    continue
                }
                steps[index].pickedPorts.append(.init(entry: entry, range: "\(range)", target: "\(port.target)/\(port.protocol)", port: chosen))
                taken.append(Taken(address: address, port: chosen, proto: port.protocol, holder: "\(step.name) (service '\(service.name)')"))
            }
        }
        return diagnostics
    }
}
