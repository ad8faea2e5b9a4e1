import ArgumentParser
import BerthPlan
import DockerEngine
import Foundation

/// `ls`: the Compose projects on the engine, from their containers' labels, as `docker compose ls` lists them (with
/// Compose's own projects alongside Berth's).
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the projects on the engine.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Include projects whose containers are all stopped.") var all = false
    @Flag(name: .shortAndLong, help: "Print only the projects' names.") var quiet = false
    @Option(help: "Filter: name=PATTERN (a regular expression).") var filter: String?
    @Option(help: "Output format: table or json.") var format: Format = .table

    struct Project: Equatable {
        var name: String
        var status: String
        var configFiles: String
    }

    func validate() throws {
        guard let filter else { return }
        let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "name" else { throw ValidationError("invalid filter '\(parts[0])' (ls takes name=PATTERN)") }
        _ = try Regex(parts[1])
    }

    func run() async throws {
        let containers = try await global.withEngine { client in
            do {
                return try await client.listContainers(all: all, filters: ["label": [ComposeLabels.project, ComposeLabels.configHash]])
            } catch {
                Console.error("berth: \(error)\n")
                throw ExitCode(1)
            }
        }
        var projects = Self.projects(containers)
        if let filter, let pattern = try? Regex(String(filter.split(separator: "=", maxSplits: 1)[1])) {
            projects = projects.filter { $0.name.contains(pattern) }
        }
        if quiet { return Console.out(projects.map { $0.name + "\n" }.joined()) }
        switch format {
        case .table:
            Console.out(Table.render([["NAME", "STATUS", "CONFIG FILES"]] + projects.map { [$0.name, $0.status, $0.configFiles] }))
        case .json:
            let objects = projects.map { project -> JSONValue in
                .object(["Name": .string(project.name), "Status": .string(project.status), "ConfigFiles": .string(project.configFiles)])
            }
            let text = JSONValue.array(objects).text
            Console.out(text + "\n")
        }
    }

    /// Projects by name: states counted (`exited(1), running(2)`), config files joined without repeats.
    static func projects(_ containers: [ContainerSummary]) -> [Project] {
        let byProject = Dictionary(grouping: containers) { $0.labels[ComposeLabels.project] ?? "" }
        return byProject.keys.sorted().map { name in
            let members = byProject[name] ?? []
            let states = Dictionary(grouping: members, by: \.state).map { "\($0.key)(\($0.value.count))" }.sorted()
            var files: [String] = []
            for member in members {
                for file in (member.labels[ComposeLabels.configFiles] ?? "").split(separator: ",").map(String.init) where !files.contains(file) {
                    files.append(file)
                }
            }
            return Project(name: name, status: states.joined(separator: ", "), configFiles: files.isEmpty ? "N/A" : files.joined(separator: ","))
        }
    }
}
