import ArgumentParser
import BerthDiagnostics
import BerthPlan
import BerthReports
import BerthSpec
import Foundation

struct PortsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ports", abstract: "List every host port the stack claims, and any conflicts.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-host-scan"), help: "Do not look at the ports already bound on this host.") var noHostScan = false
    @Flag(name: .customLong("no-engine"), help: "Do not ask the Docker engine.") var noEngine = false
    @Option(help: ArgumentHelp("Show the ports as this swarm stack publishes them, with the node each host-mode claim lands on.", valueName: "STACK")) var stack: String?

    func validate() throws {
        if stack != nil && (noEngine || noHostScan) { throw ValidationError("--stack reads the swarm through its manager: --no-engine and --no-host-scan do not apply") }
    }

    func run() async throws {
        if let stack { return try await stackPorts(stack) }
        let (project, _) = try ProjectSession.load(global, quiet: true)
        let session = await PlanSession.run(project: project, hostScan: !noHostScan, endpoint: noEngine ? nil : try global.endpoint())
        let portCodes: Set<String> = ["port-conflict", "port-in-use", "host-network-port-mapping"]
        let problems = session.plan.diagnostics.filter { portCodes.contains($0.code) }
        let rows = PortListing.rows(project, claims: session.plan.claims).sorted {
            ($0.host?.lower ?? Int.max, $0.service, $0.container?.lower ?? 0) < ($1.host?.lower ?? Int.max, $1.service, $1.container?.lower ?? 0)
        }
        let cwd = FileManager.default.currentDirectoryPath
        var table = [["SERVICE", "REPLICAS", "ADDRESS", "HOST PORT", "CONTAINER PORT", "PROTO", "NETWORK", "FROM", "DECLARED AT", "CONFLICT"]]
        for row in rows {
            let conflicts = problems.filter { d in
                d.location == row.location && d.service == row.service || d.related.contains { $0.location == row.location && $0.service == row.service }
            }
            let conflictText = conflicts.map { d -> String in
                if d.code == "port-in-use" { return "in use" }
                if d.code == "host-network-port-mapping" { return "cannot map on the host network" }
                let other = d.service == row.service && d.location == row.location ? d.related.first?.service ?? "?" : d.service ?? "?"
                return other == row.service ? "between its replicas" : "with \(other)"
            }
            let place = ReportPaths.inside(row.location.file, base: cwd) ?? row.location.file
            table.append([row.service, "\(row.replicas)", row.address, row.host?.description ?? "random", row.container?.description ?? "-",
                          row.proto, row.network, row.from, "\(place):\(row.location.line):\(row.location.column)",
                          conflictText.isEmpty ? "-" : Array(Set(conflictText)).sorted().joined(separator: "; ")])
        }
        Console.out(Table.render(table))
        if problems.hasErrors { throw ExitCode(1) }
    }

    /// `ports --stack`: each published port of the stack, where the scheduler model places its host-mode claims (one
    /// run; a port the checker finds taken everywhere shows its pending tasks), ingress ports on every node.
    func stackPorts(_ stack: String) async throws {
        var named = global
        named.projectName = stack
        let (project, _) = try ProjectSession.load(named, quiet: true)
        let result = try await global.withEngine { client in await StackPreflight.run(project, stack: stack, client: client) }
        let portCodes: Set<String> = ["unschedulable-replica", "placement-order", "ingress-port-conflict"]
        let problems = result.diagnostics.filter { portCodes.contains($0.code) }
        let cwd = FileManager.default.currentDirectoryPath
        var table = [["SERVICE", "MODE", "PUBLISHED", "TARGET", "PROTO", "NODES", "DECLARED AT", "PROBLEM"]]
        for service in project.services {
            let index = result.groups.firstIndex { $0.name == service.name }
            for mapping in service.ports {
                let place = ReportPaths.inside(mapping.location.file, base: cwd) ?? mapping.location.file
                var nodes = "every node (routing mesh)"
                if mapping.mode == "host", let index, let outcome = result.outcome {
                    let placed = outcome.sample[index].sorted { $0.key < $1.key }.map { entry in
                        result.nodes[entry.key].hostname + (entry.value > 1 ? " ×\(entry.value)" : "")
                    }
                    let pending = outcome.desired[index] - outcome.sample[index].values.reduce(0, +)
                    nodes = (placed.isEmpty ? ["none"] : placed).joined(separator: ", ") + (pending > 0 ? "; \(pending) pending" : "")
                }
                let problem = problems.first { $0.service == service.name && ($0.code != "ingress-port-conflict" || $0.location == mapping.location) }
                table.append([service.name, mapping.mode, mapping.published?.description ?? "random", "\(mapping.target)", mapping.protocol, nodes,
                              "\(place):\(mapping.location.line):\(mapping.location.column)", problem.map { $0.code } ?? "-"])
            }
        }
        Console.out(Table.render(table))
        if problems.hasErrors { throw ExitCode(1) }
    }

}

/// Plain text tables with columns padded to their widest cell.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
