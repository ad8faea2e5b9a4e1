import ArgumentParser
import BerthPlan
import BerthRuntime
import BerthSpec
import BerthYAML
import DockerEngine
import Foundation

/// The project name for commands that work from labels: `-p`, or the loaded files' project.
func resolvedProjectName(_ global: GlobalOptions) throws -> String {
    if let explicit = global.projectName { return ProjectName.normalize(explicit) }
    let (project, _) = try ProjectSession.load(global, quiet: true)
    return project.name
}

struct PsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List the project's containers.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var global: GlobalOptions
    @Flag(name: [.short, .customLong("all")], help: "Show stopped containers too.") var all = false
    @Option(help: "Output format: table or json.") var format: Format = .table

    func run() async throws {
        let name = try resolvedProjectName(global)
        let client = try global.engineClient()
        let containers: [ContainerSummary]
        do {
            containers = try await client.listContainers(all: all, filters: ["label": ["\(ComposeLabels.project)=\(name)"]])
        } catch {
            Console.error("berth: \(error)\n")
            await client.shutdown()
            throw ExitCode(1)
        }
        let sorted = containers.sorted { $0.name < $1.name }
        func ports(_ c: ContainerSummary) -> String {
            c.ports.map { p in
                guard let publicPort = p.publicPort else { return "\(p.privatePort)/\(p.type)" }
                return "\(p.ip):\(publicPort)->\(p.privatePort)/\(p.type)"
            }.joined(separator: ", ")
        }
        switch format {
        case .table:
            var rows = [["NAME", "SERVICE", "STATE", "STATUS", "PORTS"]]
            for c in sorted {
                rows.append([c.name, c.labels[ComposeLabels.service] ?? "", c.state, c.status, ports(c)])
            }
            Console.out(Table.render(rows))
        case .json:
            // One object per line, as docker compose ps --format json prints it.
            Console.out(sorted.map { PsJSON.line($0) + "\n" }.joined())
        }
        await client.shutdown()
    }
}

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Show the services' output.")

    @OptionGroup var global: GlobalOptions
    /// `-f` after `logs` means follow, as in Compose; the command line is rewritten to `--follow` before parsing.
    @Flag(name: .customLong("follow"), help: "Follow the output (-f).") var follow = false
    @Option(name: .customLong("tail"), help: "Lines to show from the end of each log (or 'all').") var tail: String = "all"
    @Argument(help: "Services to show.") var services: [String] = []

    func run() async throws {
        let name = try resolvedProjectName(global)
        let client = try global.engineClient()
        await LogFollower(client: client, project: name, services: services, useColor: global.useColor)
            .follow(tail: tail, follow: follow, until: follow ? InterruptSignals() : nil)
        await client.shutdown()
    }
}
