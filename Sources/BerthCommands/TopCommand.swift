import ArgumentParser
import BerthPlan
import DockerEngine

/// `top [SERVICE...]`: the processes of the project's running containers, in one table headed by the service and
/// replica, as current `docker compose top` prints it.
struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "top", abstract: "Show the processes running in the services' containers.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Services (all when none).", completion: ServiceCompletion.kind) var services: [String] = []

    func run() async throws {
        let name = try resolvedProjectName(global)
        try await global.withEngine { client in
            do {
                let containers = try await client.listContainers(all: false, filters: ["label": ComposeLabels.madeFor(name)])
                    .filter { services.isEmpty || services.contains($0.labels[ComposeLabels.service] ?? "") }
                    .sorted { $0.name < $1.name }
                var titles: [String] = []
                var listed: [(ContainerSummary, [[String: String]])] = []
                for container in containers {
                    let (heads, processes) = try await client.top(container.id)
                    for title in heads where !titles.contains(title) && title != "CMD" { titles.append(title) }
                    listed.append((container, processes.map { Dictionary(zip(heads, $0), uniquingKeysWith: { a, _ in a }) }))
                }
                guard listed.contains(where: { !$0.1.isEmpty }) else { return }
                titles.append("CMD")
                var rows = [["SERVICE", "#"] + titles]
                for (container, processes) in listed {
                    for process in processes {
                        rows.append([container.labels[ComposeLabels.service] ?? "", container.labels[ComposeLabels.number] ?? ""] + titles.map { process[$0] ?? "-" })
                    }
                }
                Console.out(Table.render(rows))
            } catch {
                Console.error("berth: \(error)\n")
                throw ExitCode(1)
            }
        }
    }
}
