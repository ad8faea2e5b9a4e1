import BerthDiagnostics
import BerthGraph
import BerthPlan
import BerthSpec

/// What a picture of a stack shows, before it is written in any language: networks as clusters (the host network as
/// its own), services marked with their network mode, published ports as host-side nodes, volumes and bind mounts,
/// dependency edges with their condition, and the findings of `check` (a red edge between the two claimants of a
/// port, services in error outlined). DOT and mermaid write the same picture.
public struct StackPicture: Sendable {
    public enum NodeKind: Sendable, Hashable { case service, port, volume, bind, anonymousVolume, alias }
    public enum Mark: Sendable, Hashable { case none, warning, error }

    public struct Node: Sendable, Hashable {
        /// A generated id (`n0`, `n1`, ...): always valid in both languages, never two names merged.
        public var id: String
        public var kind: NodeKind
        /// Lines of the label; the first is the real name.
        public var label: [String]
        public var cluster: String?
        public var mark: Mark = .none
        /// For services: `bridge`, `host`, `none`, `service:x`, `container:x`, or a network name.
        public var mode: String = ""
    }

    public enum EdgeKind: Sendable, Hashable {
        case dependency(DependencyCondition, required: Bool)
        case namespace  // network_mode: service:x
        case volumesFrom
        case link
        case port  // a host port to the service that publishes or binds it
        case mount
        case alias  // a service's place in another network
        case clash  // two claimants of one host port
    }

    public struct Edge: Sendable, Hashable {
        public var from: String
        public var to: String
        public var kind: EdgeKind
        public var label: String
    }

    public struct Cluster: Sendable, Hashable {
        public var id: String
        public var label: String
        public var isHost: Bool
    }

    public var title: String
    public var clusters: [Cluster] = []
    public var nodes: [Node] = []
    public var edges: [Edge] = []

    /// The picture of `project`; `focus` keeps one service and what it depends on, transitively.
    public static func build(_ project: ComposeProject, graph: ServiceGraph, findings: [Diagnostic], claims: [PortClaim], focus: String? = nil) -> StackPicture {
        var picture = StackPicture(title: project.name)
        var shown = Set(project.services.map(\.name))
        if let focus {
            shown = [focus]
            var queue = [focus]
            while let next = queue.popLast() {
                for edge in graph.dependencies(of: next) where shown.insert(edge.to).inserted { queue.append(edge.to) }
            }
        }
        let services = project.services.filter { shown.contains($0.name) }
        var ids: [String: String] = [:]
        func newID() -> String { "n\(picture.nodes.count)" }

        // Clusters: the host network, then each network in declaration order that a shown service joins.
        var clusterOf: [String: String] = [:]  // network name -> cluster id
        func cluster(for network: String, isHost: Bool = false) -> String {
            if let id = clusterOf[network] { return id }
            let id = "c\(picture.clusters.count)"
            clusterOf[network] = id
            let external = project.network(named: network)?.external == true ? " (external)" : ""
            picture.clusters.append(Cluster(id: id, label: isHost ? "host network" : "network \(network)\(external)", isHost: isHost))
            return id
        }
        for service in services {
            let mode: String
            var home: String?
            switch service.effectiveNetworkMode {
            case .host:
                mode = "host"
                home = cluster(for: "\u{0}host", isHost: true)
            case .bridge where !service.networks.isEmpty:
                mode = service.networks.map(\.name).joined(separator: ", ")
                home = cluster(for: service.networks[0].name)
            case .other(let name):
                mode = name
                home = cluster(for: name)
            default:
                mode = service.effectiveNetworkMode.description
            }
            let id = newID()
            ids[service.name] = id
            var label = [service.name]
            label.append(service.image ?? (service.build != nil ? "(built)" : ""))
            label.append("network_mode: \(service.effectiveNetworkMode.description)")
            if service.replicas > 1 { label.append("× \(service.replicas) replicas") }
            picture.nodes.append(Node(id: id, kind: .service, label: label.filter { !$0.isEmpty }, cluster: home, mode: mode))
            // Other networks: the service appears there too, joined to itself by a dashed line.
            for network in service.networks.dropFirst() {
                let alias = newID()
                picture.nodes.append(Node(id: alias, kind: .alias, label: [service.name], cluster: cluster(for: network.name), mode: network.name))
                picture.edges.append(Edge(from: id, to: alias, kind: .alias, label: ""))
            }
        }

        // Dependencies, namespaces, volumes_from and links.
        for edge in graph.edges {
            guard let from = ids[edge.from], let to = ids[edge.to] else { continue }
            switch edge.kind {
            case .dependsOn(let condition, let required):
                let short = switch condition {
                case .started: "started"
                case .healthy: "healthy"
                case .completedSuccessfully: "completed"
                }
                picture.edges.append(Edge(from: from, to: to, kind: .dependency(condition, required: required), label: required ? short : "\(short), optional"))
            case .networkNamespace: picture.edges.append(Edge(from: from, to: to, kind: .namespace, label: "shares network"))
            case .volumesFrom: picture.edges.append(Edge(from: from, to: to, kind: .volumesFrom, label: "volumes_from"))
            case .link: picture.edges.append(Edge(from: from, to: to, kind: .link, label: "link"))
            }
        }

        // Host ports: one node per host binding, joined to each service that claims it.
        var portNodes: [String: String] = [:]
        for row in PortListing.rows(project, claims: claims) where shown.contains(row.service) {
            guard let service = ids[row.service] else { continue }
            let host = row.host?.description ?? "random"
            let key = "\(row.address):\(host)/\(row.proto)"
            let node = portNodes[key] ?? {
                let id = newID()
                picture.nodes.append(Node(id: id, kind: .port, label: ["\(row.address):\(host)/\(row.proto)"], cluster: nil))
                portNodes[key] = id
                return id
            }()
            let label = row.container.map { "\(row.address):\(host) -> \($0)/\(row.proto)" } ?? "binds \(host)/\(row.proto)\(row.from == "ports" ? "" : " (\(row.from))")"
            picture.edges.append(Edge(from: node, to: service, kind: .port, label: label))
        }

        // Volumes and bind mounts.
        var volumeNodes: [String: String] = [:]
        for service in services {
            guard let id = ids[service.name] else { continue }
            for mount in service.volumes where mount.type == .volume || mount.type == .bind {
                let key: String, kind: NodeKind, label: String
                switch (mount.type, mount.source) {
                case (.bind, let source?):
                    let inside = source.hasPrefix(project.workingDirectory + "/") ? "./" + source.dropFirst(project.workingDirectory.count + 1) : source
                    (key, kind, label) = ("bind:\(source)", .bind, inside)
                case (.volume, let source?): (key, kind, label) = ("volume:\(source)", .volume, "volume \(source)")
                default: (key, kind, label) = ("anonymous:\(service.name):\(mount.target)", .anonymousVolume, "anonymous volume")
                }
                let node = volumeNodes[key] ?? {
                    let node = newID()
                    picture.nodes.append(Node(id: node, kind: kind, label: [label], cluster: nil))
                    volumeNodes[key] = node
                    return node
                }()
                picture.edges.append(Edge(from: id, to: node, kind: .mount, label: mount.target + (mount.readOnly ? " (ro)" : "")))
            }
        }

        // Findings: services in error or warning outlined; a red edge between the claimants of one port.
        for finding in findings {
            guard let service = finding.service, let id = ids[service], let index = picture.nodes.firstIndex(where: { $0.id == id }) else { continue }
            let mark: Mark = finding.severity == .error ? .error : finding.severity == .warning ? .warning : .none
            if mark == .error || (mark == .warning && picture.nodes[index].mark == .none) { picture.nodes[index].mark = mark }
            guard finding.code == "port-conflict" || finding.code == "port-in-use" else { continue }
            let port = Self.port(in: finding.message)
            if finding.code == "port-conflict", let other = finding.related.first?.service, let otherID = ids[other] {
                picture.edges.append(Edge(from: id, to: otherID, kind: .clash, label: "port \(port) clash"))
            } else if finding.code == "port-in-use" {
                picture.nodes[index].label.append("port \(port) in use on the host")
            }
        }
        return picture
    }

    /// The port a finding's message names (`host port 80/tcp`), or `?`.
    static func port(in message: String) -> String {
        guard let range = message.range(of: "port ") else { return "?" }
        let rest = message[range.upperBound...].prefix { $0.isNumber || $0 == "-" || $0 == "/" || $0.isLetter }
        return rest.isEmpty ? "?" : String(rest)
    }
}
