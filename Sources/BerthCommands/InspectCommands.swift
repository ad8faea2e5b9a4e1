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

    @OptionGroup var global: GlobalOptions
    @Flag(name: [.short, .customLong("all")], help: "Show stopped and one-off containers too.") var all = false
    @Option(help: "Output format: table, json, or a template such as 'table {{.Name}}\\t{{.State}}'.") var format = "table"
    @Flag(name: .shortAndLong, help: "Print only container IDs.") var quiet = false
    @Flag(help: "Print only the services' names.") var services = false
    @Option(help: "Only containers in this state (repeatable): created, running, paused, restarting, removing, exited or dead.") var status: [String] = []
    @Option(help: "Filter: status=STATE.") var filter: String?
    @Option(help: "Include containers of services not in the files (true or false).") var orphans = true
    @Flag(name: .customLong("no-trunc"), help: "Do not cut IDs and commands short.") var noTrunc = false
    @Argument(help: "Services (all when none).", completion: ServiceCompletion.kind) var selected: [String] = []

    func validate() throws {
        guard let filter else { return }
        let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ValidationError("arguments to --filter should be in form KEY=VAL") }
        guard parts[0] == "status" else { throw ValidationError("unknown filter \(parts[0])") }
    }

    func run() async throws {
        let name = try resolvedProjectName(global)
        var declared: Set<String>?
        if !orphans || !selected.isEmpty {
            let (project, _) = try ProjectSession.load(global, services: selected, quiet: true)
            declared = Set(project.services.map(\.name))
        }
        let states = status + (filter.map { [String($0.split(separator: "=", maxSplits: 1)[1])] } ?? [])
        // Running service containers by default; -a or a status filter adds stopped and one-off ones (as Compose).
        let everything = all || !states.isEmpty
        let containers = try await global.withEngine { client in
            do {
                return try await client.listContainers(all: everything, filters: ["label": ComposeLabels.madeFor(name)])
            } catch {
                Console.error("berth: \(error)\n")
                throw ExitCode(1)
            }
        }
        let shown = containers.filter { container in
            let service = container.labels[ComposeLabels.service] ?? ""
            if !everything && container.labels[ComposeLabels.oneoff] == "True" { return false }
            if !states.isEmpty && !states.contains(container.state) { return false }
            if !selected.isEmpty && !selected.contains(service) { return false }
            if !orphans, let declared, !declared.contains(service) { return false }
            return true
        }.sorted { $0.name < $1.name }
        if quiet { return Console.out(shown.map { $0.id + "\n" }.joined()) }
        if services {
            var names: [String] = []
            for container in shown where !names.contains(container.labels[ComposeLabels.service] ?? "") { names.append(container.labels[ComposeLabels.service] ?? "") }
            return Console.out(names.map { $0 + "\n" }.joined())
        }
        switch format {
        case "json", "{{json .}}":
            Console.out(shown.map { PsJSON.line($0, truncate: !noTrunc) + "\n" }.joined())
        case "table":
            Console.out(PsJSON.render("table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}", shown, truncate: !noTrunc))
        default:
            Console.out(PsJSON.render(format, shown, truncate: !noTrunc))
        }
    }
}

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Show the services' output.")

    @OptionGroup var global: GlobalOptions
    /// `-f` after `logs` means follow, as in Compose; the command line is rewritten to `--follow` before parsing.
    @Flag(name: .customLong("follow"), help: "Follow the output (-f).") var follow = false
    @Option(name: [.customShort("n"), .customLong("tail")], help: "Lines to show from the end of each log (or 'all').") var tail: String = "all"
    @Option(help: "Only lines since a time: RFC 3339, a Unix timestamp, or a duration back from now (42m).") var since: String?
    @Option(help: "Only lines before a time (same forms as --since).") var until: String?
    @Flag(name: [.short, .customLong("timestamps")], help: "Show the engine's timestamps.") var timestamps = false
    @Flag(name: .customLong("no-log-prefix"), help: "Do not prefix lines with the container's name.") var noLogPrefix = false
    @Option(help: "Only this replica (needs one service).") var index: Int?
    @Argument(help: "Services to show.", completion: ServiceCompletion.kind) var services: [String] = []

    func validate() throws {
        if index != nil && services.count != 1 { throw ValidationError("--index requires one service to be selected") }
        if let since, LogTime.timestamp(since) == nil { throw ValidationError("--since: '\(since)' is not a time, a timestamp or a duration") }
        if let until, LogTime.timestamp(until) == nil { throw ValidationError("--until: '\(until)' is not a time, a timestamp or a duration") }
    }

    func run() async throws {
        let name = try resolvedProjectName(global)
        var options = LogOptions(tail: tail, follow: follow)
        options.since = since.flatMap { LogTime.timestamp($0) }
        options.until = until.flatMap { LogTime.timestamp($0) }
        options.timestamps = timestamps
        // Colour only on a terminal, as Compose decides it for logs (from stdout).
        let useColor = global.useColor && isatty(STDOUT_FILENO) == 1
        let signals = follow ? InterruptSignals() : nil
        try await global.withEngine { client in
            var follower = LogFollower(client: client, project: name, services: services, useColor: useColor)
            follower.index = index
            follower.prefixed = !noLogPrefix
            await follower.follow(options, until: signals)
        }
        // Ended by Ctrl-C: 130, as Compose exits when its context is cancelled by a signal.
        if let signals, signals.count > 0 { throw ExitCode(signals.exitCode) }
    }
}
