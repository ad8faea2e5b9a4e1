import BerthPlan
import BerthYAML
import DockerEngine
import Foundation

/// `ps --format json` as `docker compose ps --format json` prints it (v2.21 and later): one JSON object per line, with
/// the docker CLI's container fields (`Command`, `CreatedAt`, `ExitCode`, `Health`, `ID`, `Image`, `Labels`,
/// `LocalVolumes`, `Mounts`, `Name`, `Names`, `Networks`, `Ports`, `Project`, `Publishers`, `RunningFor`, `Service`,
/// `Size`, `State`, `Status`), so scripts written for Compose read it unchanged.
enum PsJSON {
    static func line(_ c: ContainerSummary, now: Date = Date(), truncate: Bool = true) -> String {
        JSONWriter.write(.map(fields(c, now: now, truncate: truncate)), pretty: false)
    }

    /// The formatter's fields by name, in key order: `ID` cut to 12 characters and `Command` to 20 (with an
    /// ellipsis) unless `truncate` is off, as docker/cli's ContainerContext does.
    static func fields(_ c: ContainerSummary, now: Date = Date(), truncate: Bool = true) -> [(String, YAMLNode)] {
        let created = Date(timeIntervalSince1970: TimeInterval(c.created))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z 'UTC'"
        let health = ["healthy", "unhealthy", "health: starting"].first { c.status.contains("(\($0))") }
            .map { $0 == "health: starting" ? "starting" : $0 } ?? ""
        var exitCode = 0
        if c.state == "exited", let open = c.status.firstIndex(of: "("), let close = c.status.firstIndex(of: ")"),
           let code = Int(c.status[c.status.index(after: open)..<close]) { exitCode = code }
        let publishers: [YAMLNode] = c.ports.map { p in
            .map([("URL", .string(p.ip)), ("TargetPort", .int(p.privatePort)), ("PublishedPort", .int(p.publicPort ?? 0)), ("Protocol", .string(p.type))])
        }
        let ports = c.ports.map { p in p.publicPort.map { "\(p.ip):\($0)->\(p.privatePort)/\(p.type)" } ?? "\(p.privatePort)/\(p.type)" }
        let labels = c.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let command = truncate && c.command.count > 20 ? String(c.command.prefix(19)) + "…" : c.command
        return [
            ("Command", .string(JSONWriter.write(.string(command), pretty: false))), ("CreatedAt", .string(formatter.string(from: created))), ("ExitCode", .int(exitCode)),
            ("Health", .string(health)), ("ID", .string(truncate ? String(c.id.prefix(12)) : c.id)), ("Image", .string(c.image)), ("Labels", .string(labels)),
            ("LocalVolumes", .string(String(c.mounts.filter { $0.type == "volume" }.count))),
            ("Mounts", .string(c.mounts.map { $0.name ?? $0.source }.joined(separator: ","))), ("Name", .string(c.name)),
            ("Names", .string(c.name)), ("Networks", .string(c.networks.joined(separator: ","))), ("Ports", .string(ports.joined(separator: ", "))),
            ("Project", .string(c.labels[ComposeLabels.project] ?? "")), ("Publishers", .list(publishers)),
            ("RunningFor", .string(runningFor(now.timeIntervalSince(created)))), ("Service", .string(c.labels[ComposeLabels.service] ?? "")),
            ("Size", .string("0B")), ("State", .string(c.state)), ("Status", .string(c.status)),
        ]
    }

    /// The column headers the docker CLI gives each field in a `table` template.
    static let headers: [String: String] = [
        "ID": "CONTAINER ID", "Name": "NAME", "Names": "NAMES", "Project": "PROJECT", "Service": "SERVICE", "Image": "IMAGE",
        "Command": "COMMAND", "CreatedAt": "CREATED AT", "RunningFor": "CREATED", "Ports": "PORTS", "State": "STATE", "Status": "STATUS",
        "Size": "SIZE", "Labels": "LABELS", "Health": "HEALTH", "ExitCode": "EXIT CODE", "Networks": "NETWORKS", "Mounts": "MOUNTS",
        "LocalVolumes": "LOCAL VOLUMES", "Publishers": "PUBLISHERS",
    ]

    /// `ps --format TEMPLATE` (see `FormatTemplate`).
    static func render(_ template: String, _ containers: [ContainerSummary], truncate: Bool) -> String {
        let fields = containers.map { Self.fields($0, truncate: truncate) }
        let rows = fields.map { row in Dictionary(row.map { ($0.0, $0.1.scalarText ?? JSONWriter.write($0.1, pretty: false)) }, uniquingKeysWith: { a, _ in a }) }
        return FormatTemplate(template: template).render(rows, headers: headers) { JSONWriter.write(.map(fields[$0]), pretty: false) }
    }

    /// The docker CLI's "About a minute ago", "5 seconds ago", ...
    static func runningFor(_ seconds: TimeInterval) -> String {
        let s = Int(max(0, seconds))
        switch s {
        case ..<1: return "Less than a second ago"
        case ..<60: return "\(s) second\(s == 1 ? "" : "s") ago"
        case ..<120: return "About a minute ago"
        case ..<3600: return "\(s / 60) minutes ago"
        case ..<7200: return "About an hour ago"
        case ..<172_800: return "\(s / 3600) hours ago"
        default: return "\(s / 86_400) days ago"
        }
    }
}
