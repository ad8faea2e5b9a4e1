import BerthPlan
import DockerEngine

/// The container of a service that `exec`, `port`, `top` and `attach` act on, as Compose picks it
/// (pkg/compose/containers.go getSpecifiedContainer): a running one, by replica number, one-off containers last;
/// `--index N` asks for replica N.
enum ServiceContainer {
    struct NotRunning: Error, CustomStringConvertible {
        let service: String
        let index: Int?
        /// Compose's words, which scripts match.
        var description: String { "service \"\(service)\" is not running\(index.map { " container #\($0)" } ?? "")" }
    }

    static func running(_ client: DockerClient, project: String, service: String, index: Int? = nil) async throws -> ContainerSummary {
        var labels = ComposeLabels.madeFor(project) + ["\(ComposeLabels.service)=\(service)"]
        if let index { labels.append("\(ComposeLabels.number)=\(index)") }
        let containers = try await client.listContainers(all: false, filters: ["label": labels])
        let ordered = containers.sorted { order($0) < order($1) }
        guard let first = ordered.first else { throw NotRunning(service: service, index: index) }
        return first
    }

    /// Service containers by number, one-off containers after them.
    private static func order(_ container: ContainerSummary) -> (Int, Int, String) {
        let oneOff = container.labels[ComposeLabels.oneoff] == "True"
        return (oneOff ? 1 : 0, Int(container.labels[ComposeLabels.number] ?? "") ?? 0, container.name)
    }
}
