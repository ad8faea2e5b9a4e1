import BerthSpec

/// Draws a service graph as text, Graphviz dot or Mermaid, with conditions and network modes on the edges.
public enum GraphRenderer {
    public enum Format: String, Sendable, CaseIterable { case text, dot, mermaid }

    public static func render(_ graph: ServiceGraph, project: ComposeProject, format: Format) -> String {
        let modes = Dictionary(uniqueKeysWithValues: project.services.map { ($0.name, $0.networkMode?.description ?? "bridge") })
        switch format {
        case .text:
            var out = ""
            for (level, services) in graph.levels().enumerated() {
                for service in services {
                    out += "\(service) [\(modes[service] ?? "bridge")] (level \(level))\n"
                    for edge in graph.dependencies(of: service) {
                        out += "  -> \(edge.to) (\(edge.kind.label))\n"
                    }
                }
            }
            return out
        case .dot:
            var out = "digraph \"\(project.name)\" {\n  rankdir=LR;\n"
            for service in graph.services {
                out += "  \"\(service)\" [label=\"\(service)\\n\(modes[service] ?? "bridge")\"];\n"
            }
            for edge in graph.edges {
                out += "  \"\(edge.from)\" -> \"\(edge.to)\" [label=\"\(edge.kind.label)\"];\n"
            }
            return out + "}\n"
        case .mermaid:
            var out = "graph LR\n"
            func id(_ name: String) -> String { name.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_") }
            for service in graph.services {
                out += "  \(id(service))[\"\(service) (\(modes[service] ?? "bridge"))\"]\n"
            }
            for edge in graph.edges {
                out += "  \(id(edge.from)) -->|\(edge.kind.label)| \(id(edge.to))\n"
            }
            return out
        }
    }
}
