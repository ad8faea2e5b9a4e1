import ArgumentParser
import BerthDiagnostics
import BerthPlan

struct PortsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ports", abstract: "List every host port claim and any conflicts.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-host-scan"), help: "Do not look at the ports already bound on this host.") var noHostScan = false
    @Flag(name: .customLong("no-engine"), help: "Do not ask the Docker engine.") var noEngine = false

    func run() async throws {
        let (project, _) = try ProjectSession.load(global, quiet: true)
        let session = await PlanSession.run(project: project, hostScan: !noHostScan, useEngine: !noEngine)
        let portCodes: Set<String> = ["port-conflict", "port-in-use", "host-network-port-mapping"]
        let problems = session.plan.diagnostics.filter { portCodes.contains($0.code) }
        var rows = [["SERVICE", "ADDRESS", "PORT", "PROTO", "NETWORK", "FROM", "DECLARED AT", "CONFLICT"]]
        for claim in session.plan.claims.sorted(by: { ($0.ports.lower, $0.service) < ($1.ports.lower, $1.service) }) {
            let conflicts = problems.filter { d in
                d.location == claim.location && d.service == claim.service || d.related.contains { $0.location == claim.location && $0.service == claim.service }
            }
            let conflictText = conflicts.map { d -> String in
                if d.code == "port-in-use" { return "in use" }
                let other = d.service == claim.service ? d.related.first?.service ?? "?" : d.service ?? "?"
                return "\(d.code == "port-conflict" ? "with" : d.code) \(other)"
            }.joined(separator: "; ")
            rows.append([claim.who, claim.address.description, claim.ports.description, claim.protocol, claim.networkMode,
                         claim.origin.rawValue, "\(DiagnosticFormats.relativePath(claim.location.file)):\(claim.location.line):\(claim.location.column)",
                         conflictText.isEmpty ? "-" : conflictText])
        }
        Console.out(Table.render(rows))
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
