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

    /// One row: a port entry of one service (a range stays one row; replicas are counted, not repeated).
    struct Row {
        var service: String
        var replicas: Int
        var address: String
        var host: PortRange?  // nil: the engine picks a random port
        var container: PortRange?  // nil: the process binds the host port itself
        var proto: String
        var network: String
        var from: String
        var location: SourceLocation

        /// Whether `next` continues this row's range (a short-syntax range is expanded one port per entry).
        func continues(with next: Row) -> Bool {
            guard service == next.service, address == next.address, proto == next.proto, from == next.from, location == next.location else { return false }
            func follows(_ a: PortRange?, _ b: PortRange?) -> Bool {
                switch (a, b) {
                case (nil, nil): true
                case (let a?, let b?): b.lower == a.upper + 1
                default: false
                }
            }
            return follows(host, next.host) && follows(container, next.container)
        }
    }

    func run() async throws {
        let (project, _) = try ProjectSession.load(global, quiet: true)
        let session = await PlanSession.run(project: project, hostScan: !noHostScan, useEngine: !noEngine)
        let portCodes: Set<String> = ["port-conflict", "port-in-use", "host-network-port-mapping"]
        let problems = session.plan.diagnostics.filter { portCodes.contains($0.code) }
        let rows = Self.rows(project, claims: session.plan.claims).sorted {
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

    /// The port entries of every service, from the files, plus what the image exposes on the host network.
    static func rows(_ project: ComposeProject, claims: [PortClaim]) -> [Row] {
        var rows: [Row] = []
        func add(_ row: Row) {
            if let last = rows.last, last.continues(with: row) {
                rows[rows.count - 1].host = row.host.map { PortRange(last.host!.lower, $0.upper) }
                rows[rows.count - 1].container = row.container.map { PortRange(last.container!.lower, $0.upper) }
            } else {
                rows.append(row)
            }
        }
        for service in project.services {
            let replicas = max(service.replicas, 1)
            switch service.effectiveNetworkMode {
            case .host:
                for port in service.ports {
                    add(Row(service: service.name, replicas: replicas, address: BindAddress(port.hostIP).description, host: PortRange(port.target),
                            container: nil, proto: port.protocol, network: "host", from: "ports", location: port.location))
                }
                for exposed in service.expose {
                    add(Row(service: service.name, replicas: replicas, address: "*", host: exposed.ports, container: nil,
                            proto: exposed.protocol, network: "host", from: "expose", location: exposed.location))
                }
                var seen = Set<String>()
                for claim in claims where claim.service == service.name && claim.origin == .image && seen.insert(claim.portText).inserted {
                    add(Row(service: service.name, replicas: replicas, address: claim.address.description, host: claim.ports, container: nil,
                            proto: claim.protocol, network: "host", from: "image", location: claim.location))
                }
            case .service(let target):
                guard project.service(named: target)?.networkMode == .host else { continue }
                for exposed in service.expose {
                    add(Row(service: service.name, replicas: replicas, address: "*", host: exposed.ports, container: nil,
                            proto: exposed.protocol, network: "service:\(target) (host)", from: "expose", location: exposed.location))
                }
            case NetworkMode.none, .container:
                continue
            case .bridge, .other:
                for port in service.ports {
                    add(Row(service: service.name, replicas: replicas, address: BindAddress(port.hostIP).description, host: port.published,
                            container: PortRange(port.target), proto: port.protocol, network: service.networkMode?.description ?? "bridge",
                            from: "ports", location: port.location))
                }
            }
        }
        return rows
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
