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

    func run() async throws {
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
