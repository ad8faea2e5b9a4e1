import ArgumentParser
import BerthRuntime
import DockerEngine
import Foundation

/// `stack services STACK`: the stack's services with their mode and `running/desired` replicas, as
/// `docker stack services` shows them.
struct StackServicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "services", abstract: "List the services of a stack.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Print only the service IDs.") var quiet = false
    @Argument(help: "The stack.") var stack: String

    func run() async throws {
        let services = try await global.withEngine { client in
            try await client.listServices(filters: ["label": ["\(SwarmSpec.namespaceLabel)=\(stack)"]])
        }.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        guard !services.isEmpty else { return Console.error("Nothing found in stack: \(stack)\n") }
        if quiet { return Console.out(services.map { String($0.id.prefix(12)) + "\n" }.joined()) }
        var rows = [["ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"]]
        for service in services {
            rows.append([String(service.id.prefix(12)), service.name, Self.mode(service.spec), Self.replicas(service),
                         Self.image(service.spec), Self.ingressPorts(service.spec)])
        }
        Console.out(Table.render(rows))
    }

    static func mode(_ spec: JSONValue) -> String {
        let mode = spec["Mode"]
        if mode?["Global"] != nil { return "global" }
        if mode?["ReplicatedJob"] != nil { return "replicated job" }
        if mode?["GlobalJob"] != nil { return "global job" }
        return "replicated"
    }

    static func replicas(_ service: SwarmService) -> String {
        let text = "\(service.runningTasks ?? 0)/\(service.desiredTasks ?? 0)"
        if let max = service.spec["TaskTemplate"]?["Placement"]?["MaxReplicas"]?.int, max > 0 { return text + " (max \(max) per node)" }
        return text
    }

    /// The image without its digest.
    static func image(_ spec: JSONValue) -> String {
        let image = spec["TaskTemplate"]?["ContainerSpec"]?["Image"]?.string ?? ""
        return image.split(separator: "@").first.map(String.init) ?? image
    }

    static func ingressPorts(_ spec: JSONValue) -> String {
        (spec["EndpointSpec"]?["Ports"]?.array ?? []).filter { ($0["PublishMode"]?.string ?? "ingress") == "ingress" }.map {
            "*:\($0["PublishedPort"]?.int ?? 0)->\($0["TargetPort"]?.int ?? 0)/\($0["Protocol"]?.string ?? "tcp")"
        }.joined(separator: ", ")
    }
}
