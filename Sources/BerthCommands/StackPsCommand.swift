import ArgumentParser
import BerthRuntime
import DockerEngine
import Foundation

/// `stack ps STACK`: the stack's tasks with their node, state and error, as `docker stack ps` shows them; a task
/// left `Pending` is explained in Berth's words (which nodes hold the port it needs, and by which tasks).
struct StackPsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List the tasks of a stack.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-trunc"), help: "Do not cut IDs and errors short.") var noTrunc = false
    @Flag(name: .shortAndLong, help: "Print only the task IDs.") var quiet = false
    @Option(name: .customLong("filter"), help: "Filter: KEY=VALUE (id, name, node, service, desired-state, label).") var filters: [String] = []
    @Option(help: "Output format: table, json, or a template such as 'table {{.Name}}\\t{{.CurrentState}}'.") var format = "table"
    @Argument(help: "The stack.") var stack: String

    func validate() throws {
        for filter in filters where !filter.contains("=") { throw ValidationError("bad format of filter (expected name=value): \(filter)") }
    }

    func run() async throws {
        var query = ["label": ["\(SwarmSpec.namespaceLabel)=\(stack)"]]
        for filter in filters {
            let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
            query[parts[0], default: []].append(parts[1])
        }
        let (tasks, allServices, nodes, everyTask) = try await global.withEngine { client in
            (try await client.listTasks(filters: query), try await client.listServices(), try await client.listNodes(),
             try await client.listTasks(filters: ["desired-state": ["running"]]))
        }
        guard !tasks.isEmpty else {
            Console.error("nothing found in stack: \(stack)\n")
            throw ExitCode(1)
        }
        let serviceNames = Dictionary(allServices.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let nodeNames = Dictionary(nodes.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        func name(_ task: SwarmTask) -> String {
            let service = serviceNames[task.serviceID] ?? task.serviceID
            return task.slot > 0 ? "\(service).\(task.slot)" : "\(service).\(task.nodeID)"
        }
        let sorted = tasks.sorted { (name($0), $1.timestamp) < (name($1), $0.timestamp) }
        if quiet { return Console.out(sorted.map { (noTrunc ? $0.id : String($0.id.prefix(12))) + "\n" }.joined()) }
        let explain = PendingExplanation(services: allServices, nodes: nodes, tasks: everyTask, taskName: name)
        var rows: [[String: String]] = []
        for task in sorted {
            var error = task.error
            if task.state == "pending", let mine = explain.why(task) { error = mine }
            if !error.isEmpty {
                let cut = noTrunc || error.count <= 30 ? error : String(error.prefix(29)) + "…"
                error = "\"\(cut)\""
            }
            let image = noTrunc ? task.image : (task.image.split(separator: "@").first.map(String.init) ?? task.image)
            let ago = ImageDetails.seconds(task.timestamp).map { PsJSON.runningFor(Date().timeIntervalSince1970 - $0).lowercased() } ?? ""
            rows.append([
                "ID": noTrunc ? task.id : String(task.id.prefix(12)), "Name": name(task), "Image": image,
                "Node": nodeNames[task.nodeID] ?? task.nodeID, "DesiredState": task.desiredState.capitalized,
                "CurrentState": "\(task.state.capitalized) \(ago)", "Error": error,
                // The engine lists a host-mode port once per address family; it is shown once.
                "Ports": task.ports.reduce(into: [String]()) { list, port in
                    let text = "*:\(port.published)->\(port.target)/\(port.proto)"
                    if !list.contains(text) { list.append(text) }
                }.joined(separator: ","),
            ])
        }
        if format == "json" {
            for row in rows {
                Console.out(JSONValue.object(row.mapValues(JSONValue.string)).text + "\n")
            }
            return
        }
        let template = format == "table" ? "table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}" : format
        let headers = ["ID": "ID", "Name": "NAME", "Image": "IMAGE", "Node": "NODE", "DesiredState": "DESIRED STATE", "CurrentState": "CURRENT STATE",
                       "Error": "ERROR", "Ports": "PORTS"]
        Console.out(FormatTemplate(template: template).render(rows, headers: headers))
    }
}

/// Why a task waits: for a host-mode port that no eligible node has free, the nodes and the tasks that hold it.
struct PendingExplanation {
    let services: [SwarmService]
    let nodes: [SwarmNode]
    let tasks: [SwarmTask]
    let taskName: (SwarmTask) -> String

    func why(_ task: SwarmTask) -> String? {
        guard task.error.contains("host-mode port"), let service = services.first(where: { $0.id == task.serviceID }) else { return nil }
        let hostPorts = (service.spec["EndpointSpec"]?["Ports"]?.array ?? []).filter { $0["PublishMode"]?.string == "host" }
        for port in hostPorts {
            guard let published = port["PublishedPort"]?.int, published > 0 else { continue }
            let proto = port["Protocol"]?.string ?? "tcp"
            // A task holds the port from the moment it is assigned to a node (the scheduler counts it), before its
            // container runs and reports the port.
            let claiming = Set(services.filter { other in
                (other.spec["EndpointSpec"]?["Ports"]?.array ?? []).contains {
                    $0["PublishMode"]?.string == "host" && $0["PublishedPort"]?.int == published && ($0["Protocol"]?.string ?? "tcp") == proto
                }
            }.map(\.id))
            let live: Set<String> = ["assigned", "accepted", "preparing", "ready", "starting", "running"]
            let holders = tasks.filter { other in
                !other.nodeID.isEmpty && live.contains(other.state)
                    && (claiming.contains(other.serviceID) || other.ports.contains { $0.published == published && $0.proto == proto })
            }
            guard !holders.isEmpty else { continue }
            let names = Dictionary(nodes.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let nodeList = Array(Set(holders.map { names[$0.nodeID] ?? $0.nodeID })).sorted().joined(separator: ", ")
            let taskList = holders.map(taskName).sorted().joined(separator: ", ")
            return "no node left with host port \(published)/\(proto) free: nodes \(nodeList) hold it (\(taskList))"
        }
        return nil
    }
}
