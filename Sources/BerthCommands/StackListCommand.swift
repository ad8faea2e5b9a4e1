import ArgumentParser
import BerthRuntime
import DockerEngine
import Foundation

/// `stack ls`: the stacks on the swarm (services labelled with a stack namespace), as `docker stack ls` lists them.
struct StackListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the stacks.", aliases: ["list"])

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var global: GlobalOptions
    @Option(help: "Output format: table or json.") var format: Format = .table

    func run() async throws {
        let services = try await global.withEngine { client in
            try await client.listServices(filters: ["label": [SwarmSpec.namespaceLabel]])
        }
        let counts = Dictionary(grouping: services) { $0.labels[SwarmSpec.namespaceLabel] ?? "" }.mapValues(\.count)
        let names = counts.keys.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        switch format {
        case .table:
            Console.out(Table.render([["NAME", "SERVICES"]] + names.map { [$0, String(counts[$0] ?? 0)] }))
        case .json:
            for name in names {
                let object: JSONValue = ["Name": .string(name), "Services": .string(String(counts[name] ?? 0))]
                Console.out(object.text + "\n")
            }
        }
    }
}
