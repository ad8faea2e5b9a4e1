import BerthDiagnostics
import BerthSpec

/// The port entries of a project as people read them: one row per entry of a service (a range stays one row, replicas
/// are counted, not repeated), with the host side, the container side and where it was declared. `berth ports` and
/// the stack pictures show these.
public enum PortListing {
    /// One row: a port entry of one service (a range stays one row; replicas are counted, not repeated).
    public struct Row: Sendable, Hashable {
        public var service: String
        public var replicas: Int
        public var address: String
        public var host: PortRange?  // nil: the engine picks a random port
        public var container: PortRange?  // nil: the process binds the host port itself
        public var proto: String
        public var network: String
        public var from: String
        public var location: SourceLocation

        /// Whether `next` continues this row's range (a short-syntax range is expanded one port per entry).
        public func continues(with next: Row) -> Bool {
            guard service == next.service, address == next.address, proto == next.proto, from == next.from, location == next.location else { return false }
            func follows(_ a: PortRange?, _ b: PortRange?) -> Bool {
                switch (a, b) {
                case (nil, nil): true
                case (let a?, let b?): b.lower == a.upper + 1
                default: false
                }
            }
            return follows(host, next.host) && follows(container, next.container)
        }
    }


    /// The port entries of every service, from the files, plus what the image exposes on the host network.
    public static func rows(_ project: ComposeProject, claims: [PortClaim]) -> [Row] {
        var rows: [Row] = []
        func add(_ row: Row) {
            if let last = rows.last, last.continues(with: row) {
                rows[rows.count - 1].host = row.host.map { PortRange(last.host!.lower, $0.upper) }
                rows[rows.count - 1].container = row.container.map { PortRange(last.container!.lower, $0.upper) }
            } else {
                rows.append(row)
            }
        }
        for service in project.services {
            let replicas = max(service.replicas, 1)
            switch service.effectiveNetworkMode {
            case .host:
                for port in service.ports {
                    add(Row(service: service.name, replicas: replicas, address: BindAddress(port.hostIP).description, host: PortRange(port.target),
                            container: nil, proto: port.protocol, network: "host", from: "ports", location: port.location))
                }
                for exposed in service.expose {
                    add(Row(service: service.name, replicas: replicas, address: "*", host: exposed.ports, container: nil,
                            proto: exposed.protocol, network: "host", from: "expose", location: exposed.location))
                }
                var seen = Set<String>()
                for claim in claims where claim.service == service.name && claim.origin == .image && seen.insert(claim.portText).inserted {
                    add(Row(service: service.name, replicas: replicas, address: claim.address.description, host: claim.ports, container: nil,
                            proto: claim.protocol, network: "host", from: "image", location: claim.location))
                }
            case .service(let target):
                guard project.service(named: target)?.networkMode == .host else { continue }
                for exposed in service.expose {
                    add(Row(service: service.name, replicas: replicas, address: "*", host: exposed.ports, container: nil,
                            proto: exposed.protocol, network: "service:\(target) (host)", from: "expose", location: exposed.location))
                }
            case NetworkMode.none, .container:
                continue
            case .bridge, .other:
                for port in service.ports {
                    add(Row(service: service.name, replicas: replicas, address: BindAddress(port.hostIP).description, host: port.published,
                            container: PortRange(port.target), proto: port.protocol, network: service.networkMode?.description ?? "bridge",
                            from: "ports", location: port.location))
                }
            }
        }
        return rows
    }
}
