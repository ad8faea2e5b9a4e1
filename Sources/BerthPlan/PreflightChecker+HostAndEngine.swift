import BerthDiagnostics
import BerthGraph
import BerthSpec

/// Safety warnings, and claims against what the host and the engine already hold.
extension PreflightChecker {

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

    /// Ports bound on the host by other processes. A port that another stack's container publishes is bound by the
    /// engine's `docker-proxy`; that one is reported once, naming the container (`engineChecks`), not its proxy.
    func hostChecks(_ claims: [PortClaim]) -> [Diagnostic] {
        guard let sockets = options.hostSockets else { return [] }
        var diagnostics: [Diagnostic] = []
        let running = runningServices
        var reported = Set<String>()
        let published = Set(options.engine.containers.filter { $0.project != project.name && $0.state == "running" }
            .flatMap { $0.publishedPorts.map { "\($0.port)/\($0.proto)" } })
        let byProtocol = Dictionary(grouping: sockets, by: \.protocol)
        for claim in claims where !running.contains(claim.service) {
            // Every socket in the claim's range: a range of any length is scanned whole.
            for socket in byProtocol[claim.protocol] ?? [] where claim.ports.lower <= socket.port && socket.port <= claim.ports.upper
                && BindAddress(socket: socket).overlaps(claim.address) {
                if socket.process == "docker-proxy", published.contains("\(socket.port)/\(socket.protocol)") { continue }
                guard reported.insert("\(claim.service)|\(socket.port)|\(claim.protocol)").inserted else { continue }
                diagnostics.append(.error("port-in-use", "host port \(socket.port)/\(claim.protocol) of service '\(claim.service)' is already bound on \(socket.address) by \(socket.holder)\(originNote(claim))", at: claim.location, service: claim.service))
            }
        }
        return diagnostics
    }

    func engineChecks(_ claims: [PortClaim]) -> [Diagnostic] {
        let engine = options.engine
        guard engine.reachable else { return [] }
        var diagnostics: [Diagnostic] = []
        var reported = Set<String>()
        for container in engine.containers where container.project != project.name && container.state == "running" {
            for published in container.publishedPorts {
                let address = BindAddress(published.ip.isEmpty ? nil : published.ip)
                for claim in claims where claim.protocol == published.proto && claim.ports.lower <= published.port
                    && published.port <= claim.ports.upper && claim.address.overlaps(address) {
                    // One holder is one error: a container publishes on 0.0.0.0 and :: alike.
                    guard reported.insert("\(claim.service)|\(published.port)|\(published.proto)|\(container.name)").inserted else { continue }
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
