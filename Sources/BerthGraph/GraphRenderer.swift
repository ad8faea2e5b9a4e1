import BerthSpec

/// Draws a service graph as text: each service with its network mode and level, and what it waits for.
/// (Pictures in DOT and mermaid are `BerthPictures`.)
public enum GraphRenderer {
    public static func text(_ graph: ServiceGraph, project: ComposeProject) -> String {
        let modes = Dictionary(uniqueKeysWithValues: project.services.map { ($0.name, $0.networkMode?.description ?? "bridge") })
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
    }
}
