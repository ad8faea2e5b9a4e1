import ArgumentParser
import BerthPlan
import DockerEngine
import Foundation

/// `stats [SERVICE]`: the containers' CPU, memory, network and block I/O, as `docker compose stats` shows them;
/// redrawn each second until Ctrl-C, or once with `--no-stream`.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Show the containers' resource use.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Include stopped containers.") var all = false
    @Option(help: "Output format: table, json, or a template such as 'table {{.Name}}\\t{{.CPUPerc}}'.") var format = "table"
    @Flag(name: .customLong("no-stream"), help: "Print one sample and exit.") var noStream = false
    @Flag(name: .customLong("no-trunc"), help: "Do not cut IDs short.") var noTrunc = false
    @Argument(help: "A service (all when none).", completion: ServiceCompletion.kind) var service: String?

    static let defaultTemplate = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}"
    static let headers = ["ID": "CONTAINER ID", "Container": "CONTAINER", "Name": "NAME", "CPUPerc": "CPU %", "MemUsage": "MEM USAGE / LIMIT",
                          "MemPerc": "MEM %", "NetIO": "NET I/O", "BlockIO": "BLOCK I/O", "PIDs": "PIDS"]

    func run() async throws {
        let name = try resolvedProjectName(global)
        let signals = noStream ? nil : InterruptSignals()
        try await global.withEngine { client in
            repeat {
                let text = try await sample(client, project: name)
                Console.out((noStream ? "" : "\u{1B}[H\u{1B}[J") + text)
                if noStream { break }
                try? await Task.sleep(for: .seconds(1))
            } while (signals?.count ?? 1) == 0
        }
    }

    private func sample(_ client: DockerClient, project: String) async throws -> String {
        var labels = ComposeLabels.madeFor(project)
        if let service { labels.append("\(ComposeLabels.service)=\(service)") }
        let containers = try await client.listContainers(all: all, filters: ["label": labels]).sorted { $0.name < $1.name }
        let noTrunc = self.noTrunc
        let rows = try await withThrowingTaskGroup(of: (Int, [(String, String)]).self) { group in
            for (index, container) in containers.enumerated() {
                group.addTask {
                    let stats = container.state == "running" ? ContainerStats(try await client.stats(container.id)) : nil
                    let id = noTrunc ? container.id : String(container.id.prefix(12))
                    return (index, stats?.fields(id: id, name: container.name)
                        ?? [("BlockIO", "--"), ("CPUPerc", "--"), ("Container", id), ("ID", id), ("MemPerc", "--"), ("MemUsage", "-- / --"),
                            ("Name", container.name), ("NetIO", "--"), ("PIDs", "--")])
                }
            }
            var rows: [(Int, [(String, String)])] = []
            for try await row in group { rows.append(row) }
            return rows.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let values = rows.map { Dictionary(uniqueKeysWithValues: $0) }
        if format == "json" || format == "{{json .}}" {
            return values.map { JSONValue.object($0.mapValues(JSONValue.string)).text + "\n" }.joined()
        }
        return FormatTemplate(template: format == "table" ? Self.defaultTemplate : format).render(values, headers: Self.headers)
    }
}
