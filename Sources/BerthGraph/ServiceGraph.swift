import BerthDiagnostics
import BerthSpec

/// The services of a project and what each one needs before it can start.
public struct ServiceGraph: Sendable {
    public enum EdgeKind: Sendable, Hashable {
        case dependsOn(DependencyCondition, required: Bool)
        case networkNamespace
        case volumesFrom
        case link

        public var label: String {
            switch self {
            case .dependsOn(let condition, let required): condition.rawValue + (required ? "" : " (optional)")
            case .networkNamespace: "network_mode"
            case .volumesFrom: "volumes_from"
            case .link: "links"
            }
        }
    }

    public struct Edge: Sendable, Hashable {
        /// The service that waits.
        public var from: String
        /// The service it waits for.
        public var to: String
        public var kind: EdgeKind
        public var location: SourceLocation
    }

    public let services: [String]
    public let edges: [Edge]
    private let outgoing: [String: [Edge]]

    /// Builds the graph, reporting unknown targets and cycles.
    public static func build(_ project: ComposeProject) -> (ServiceGraph, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let names = project.services.map(\.name)
        let known = Set(names)
        let disabled = Set(project.disabledServices.map(\.name))
        var edges: [Edge] = []
        func target(_ name: String, from service: Service, kind: EdgeKind, at location: SourceLocation, optional: Bool = false) {
            if known.contains(name) {
                edges.append(Edge(from: service.name, to: name, kind: kind, location: location))
            } else if optional {
                return
            } else if disabled.contains(name) {
                diagnostics.append(.error("unknown-service", "service '\(service.name)' depends on service '\(name)', which is not enabled by the active profiles", at: location, service: service.name))
            } else {
                diagnostics.append(.error("unknown-service", "service '\(service.name)' refers to unknown service '\(name)'\(Suggestion.didYouMean(name, in: names))", at: location, service: service.name))
            }
        }
        for service in project.services {
            for dependency in service.dependsOn {
                target(dependency.service, from: service, kind: .dependsOn(dependency.condition, required: dependency.required),
                       at: dependency.location, optional: !dependency.required)
            }
            if case .service(let name) = service.networkMode {
                target(name, from: service, kind: .networkNamespace, at: service.networkModeLocation ?? service.location)
            }
            for source in service.volumesFrom {
                var name = source.split(separator: ":").first.map(String.init) ?? source
                if name == "container" { continue }
                if name == "service", let rest = source.split(separator: ":").dropFirst().first { name = String(rest) }
                target(name, from: service, kind: .volumesFrom, at: service.location)
            }
            for link in service.links {
                let name = link.split(separator: ":").first.map(String.init) ?? link
                target(name, from: service, kind: .link, at: service.location)
            }
        }
        let graph = ServiceGraph(services: names, edges: edges)
        diagnostics += graph.cycles()
        return (graph, diagnostics)
    }

    public init(services: [String], edges: [Edge]) {
        self.services = services
        self.edges = edges
        self.outgoing = Dictionary(grouping: edges, by: \.from)
    }

    public func dependencies(of service: String) -> [Edge] { outgoing[service] ?? [] }

    /// The named services and everything they depend on, transitively, in the graph's order.
    public func withDependencies(_ names: [String]) -> [String] {
        var found = Set(names)
        var queue = names
        while let next = queue.popLast() {
            for edge in dependencies(of: next) where found.insert(edge.to).inserted { queue.append(edge.to) }
        }
        return services.filter(found.contains)
    }

    /// Services in an order where each comes after everything it depends on (services in cycles are left out).
    public func startOrder() -> [String] {
        levels().flatMap { $0 }
    }

    /// Services grouped by depth: level 0 depends on nothing, level n on something in level n-1 at most.
    /// Iterative (Kahn's algorithm), so a chain of any length works.
    public func levels() -> [[String]] {
        var remaining: [String: Int] = [:]
        var dependents: [String: [String]] = [:]
        for service in services { remaining[service] = 0 }
        for edge in Set(edges.map { [$0.from, $0.to] }) {
            remaining[edge[0], default: 0] += 1
            dependents[edge[1], default: []].append(edge[0])
        }
        var order: [[String]] = []
        let position = Dictionary(services.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var current = services.filter { remaining[$0] == 0 }
        while !current.isEmpty {
            order.append(current)
            var next: [String] = []
            for service in current {
                for dependent in dependents[service] ?? [] {
                    remaining[dependent, default: 0] -= 1
                    if remaining[dependent] == 0 { next.append(dependent) }
                }
            }
            current = next.sorted { position[$0, default: 0] < position[$1, default: 0] }
        }
        return order
    }

    /// Every dependency cycle, written as a path (`a -> b -> c -> a`), found with an iterative depth-first search.
    func cycles() -> [Diagnostic] {
        enum Color { case white, grey, black }
        var color: [String: Color] = [:]
        var diagnostics: [Diagnostic] = []
        var reported = Set<Set<String>>()
        for start in services where color[start, default: .white] == .white {
            var stack: [(String, Int)] = [(start, 0)]
            var path: [String] = [start]
            color[start] = .grey
            while !stack.isEmpty {
                let (node, index) = stack[stack.count - 1]
                let next = dependencies(of: node)
                if index < next.count {
                    stack[stack.count - 1].1 += 1
                    let edge = next[index]
                    switch color[edge.to, default: .white] {
                    case .white:
                        color[edge.to] = .grey
                        stack.append((edge.to, 0))
                        path.append(edge.to)
                    case .grey:
                        let cycleStart = path.lastIndex(of: edge.to) ?? 0
                        let cycle = Array(path[cycleStart...]) + [edge.to]
                        if reported.insert(Set(cycle)).inserted {
                            diagnostics.append(.error("dependency-cycle", "dependency cycle: \(cycle.joined(separator: " -> "))",
                                                      at: edge.location, service: node))
                        }
                    case .black:
                        break
                    }
                } else {
                    color[node] = .black
                    stack.removeLast()
                    path.removeLast()
                }
            }
        }
        return diagnostics
    }
}
