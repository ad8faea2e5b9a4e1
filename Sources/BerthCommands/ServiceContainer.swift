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
        guard let first = try await ordered(client, project: project, service: service, index: index, stopped: false).first else {
            throw NotRunning(service: service, index: index)
        }
        return first
    }

    /// The service's containers (`stopped`: in any state), replica `index` only when given, in the order above.
    static func ordered(_ client: DockerClient, project: String, service: String, index: Int?, stopped: Bool) async throws -> [ContainerSummary] {
        var labels = ComposeLabels.madeFor(project) + ["\(ComposeLabels.service)=\(service)"]
        if let index { labels.append("\(ComposeLabels.number)=\(index)") }
        return try await client.listContainers(all: stopped, filters: ["label": labels]).sorted { order($0) < order($1) }
    }

    /// Service containers by number, one-off containers after them.
    private static func order(_ container: ContainerSummary) -> (Int, Int, String) {
        let oneOff = container.labels[ComposeLabels.oneoff] == "True"
        return (oneOff ? 1 : 0, Int(container.labels[ComposeLabels.number] ?? "") ?? 0, container.name)
    }
}
