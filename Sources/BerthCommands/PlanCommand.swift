import ArgumentParser
import BerthDiagnostics
import BerthPlan
import BerthReports
import BerthSpec
import BerthYAML

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what 'up' would do without doing it. Exit 0: nothing to do; 2: changes; 1: errors.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: PlanFlags
    @OptionGroup var report: ReportOptions
    @Option(help: "Output format: text or json (the plan), or sarif, github or junit (its diagnostics).") var format: ReportFormat = .text
    @Flag(name: .customLong("no-engine"), help: "Plan against an empty engine.") var noEngine = false
    @Flag(name: .customLong("no-check"), help: "Leave out the pre-flight checks, as 'up --no-check' does.") var noCheck = false

    func run() async throws {
        let (project, loaded) = try loadProject()
        var options = try flags.options(for: project, separator: global.nameSeparator)
        options.check = !noCheck
        let session = await PlanSession.run(project: project, options: options, hostScan: true, endpoint: noEngine ? nil : try global.endpoint())
        let plan = session.plan
        if let note = session.engineNote { Console.error("berth: note: \(note)\n") }
        if noEngine { Console.error("berth: note: planning against an empty engine (--no-engine)\n") }
        if !plan.images.isEmpty {
            Console.error("berth: note: containers are planned against the images present now; after a pull or build, a changed image recreates its containers\n")
        }
        let shown = plan.diagnostics.filter { $0.severity != .note }
        if !shown.isEmpty, format == .text {
            Console.error(DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor).render(shown))
        }
        let result = DiagnosticReport(loaded, project: project.name, diagnostics: loaded.diagnostics.filter { $0.severity != .error } + plan.diagnostics)
        try report.writeSARIF(result)
        switch format {
        case .text: Console.out(Self.text(plan))
        case .json: Console.out(JSONWriter.write(Self.json(plan, projectDirectory: loaded.projectDirectory)))
        case .sarif, .github, .junit:
            Console.out(report.render(format, result, command: "plan", services: project.services.map(\.name), strict: false))
        }
        if plan.hasErrors { throw ExitCode(1) }
        if plan.hasChanges { throw ExitCode(2) }
    }

    /// Loads the project; in a machine format a load failure is printed in that format on stdout.
    func loadProject() throws -> (ComposeProject, LoadResult) {
        if format == .text { return try ProjectSession.load(global, services: flags.services, quiet: false) }
        let loaded = ProjectLoader.load(global.projectOptions(selectedServices: flags.services))
        guard let project = loaded.project, !loaded.hasErrors else {
            let result = DiagnosticReport(loaded, project: global.projectName.map(ProjectName.normalize), diagnostics: loaded.diagnostics)
            try report.writeSARIF(result)
            Console.out(format == .json ? JSONReport.render(result) : report.render(format, result, command: "plan", services: [], strict: false))
            throw ExitCode(1)
        }
        try ProjectSession.requireServices(flags.services, in: project)
        return (project, loaded)
    }

    static func symbol(_ action: DeploymentPlan.ContainerAction) -> String {
        switch action {
        case .create, .run: "+"
        case .recreate: "~"
        case .start, .restart, .unpause: ">"
        case .keep: "="
        case .orphan: "?"
        case .remove, .stop, .kill, .pause: "-"
        }
    }

    /// The plan as text; `command` is the one it is the plan of (`up`, or `stop`, `run`, ... under `--dry-run`).
    static func text(_ plan: DeploymentPlan, command: String = "up") -> String {
        var out = ""
        func changed(_ fields: [String]) -> String { fields.isEmpty ? "" : " (changed: \(fields.joined(separator: ", ")))" }
        for network in plan.networks {
            out += "\(network.action == .create ? "+" : "~") network \(network.name)  \(network.action.rawValue)\(changed(network.changed))\n"
        }
        for volume in plan.volumes {
            out += "\(volume.action == .create ? "+" : "~") volume \(volume.name)  \(volume.action.rawValue)\(changed(volume.changed))\(volume.action == .recreate ? ": its data is deleted" : "")\n"
        }
        for image in plan.images { out += "+ image \(image.reference)  \(image.action.rawValue) (\(image.reason))\n" }
        for step in plan.containers {
            out += "\(symbol(step.action)) container \(step.name)  \(step.action.rawValue)\(changed(step.changed))\n"
            for picked in step.pickedPorts { out += "    host port \(picked.port) of \(picked.range) for \(picked.target)\n" }
        }
        if command != "up" && command != "run" {
            // A lifecycle command acts in the order of its steps.
        } else if plan.startOrder.count == 1 {
            out += "start order: \(plan.startOrder[0].joined(separator: ", "))\n"
        } else if !plan.startOrder.isEmpty {
            out += "start order:\n" + plan.startOrder.enumerated().map { "  \($0 + 1). \($1.joined(separator: ", "))\n" }.joined()
        }
        let errors = plan.diagnostics.count(of: .error)
        out += plan.hasErrors ? "\(command) would refuse: the plan has \(errors) error\(errors == 1 ? "" : "s")\n"
            : plan.hasChanges ? "\(command) would make changes\n" : "nothing to do\n"
        return out
    }

    /// The documented shape (`schemas/plan.schema.json`), version 2.
    static func json(_ plan: DeploymentPlan, projectDirectory: String) -> YAMLNode {
        func strings(_ items: [String]) -> YAMLNode { .list(items.map { .string($0) }) }
        return .map([
            ("version", .int(2)),
            ("project", .string(plan.project)),
            ("projectDirectory", .string(projectDirectory)),
            ("engine", .bool(plan.engineReachable)),
            ("networks", .list(plan.networks.map {
                .map([("name", .string($0.name)), ("action", .string($0.action.rawValue)), ("changed", strings($0.changed))])
            })),
            ("volumes", .list(plan.volumes.map {
                .map([("name", .string($0.name)), ("action", .string($0.action.rawValue)), ("changed", strings($0.changed))])
            })),
            ("images", .list(plan.images.map {
                .map([("service", .string($0.service)), ("image", .string($0.reference)), ("action", .string($0.action.rawValue)),
                      ("reason", .string($0.reason))])
            })),
            ("containers", .list(plan.containers.map { step in
                .map([("service", .string(step.service)), ("name", .string(step.name)), ("number", .int(step.number)),
                      ("action", .string(step.action.rawValue)), ("changed", strings(step.changed)),
                      ("id", step.containerID.map { .string($0) } ?? .null),
                      ("hostPorts", .list(step.pickedPorts.map {
                          .map([("range", .string($0.range)), ("target", .string($0.target)), ("port", .int($0.port))])
                      }))])
            })),
            ("start_order", .list(plan.startOrder.map(strings))),
            ("changes", .bool(plan.hasChanges)),
            ("errors", .int(plan.diagnostics.count(of: .error))),
            ("diagnostics", JSONReport.items(plan.diagnostics, relativeTo: projectDirectory)),
        ])
    }
}
