import ArgumentParser
import BerthDiagnostics
import BerthPlan
import BerthYAML

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what 'up' would do without doing it. Exit 0: nothing to do; 2: changes; 1: errors.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var global: GlobalOptions
    @Option(help: "Output format: text or json.") var format: Format = .text
    @Flag(name: .customLong("no-engine"), help: "Plan against an empty engine.") var noEngine = false

    func run() async throws {
        let (project, loaded) = try ProjectSession.load(global, quiet: true)
        let session = await PreflightSession.run(project: project, hostScan: true, useEngine: !noEngine)
        let errors = session.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            Console.error(DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor).render(errors))
        }
        let plan = DeploymentPlan.make(project: project, graph: session.graph, engine: session.engine)
        switch format {
        case .text: Console.out(Self.text(plan))
        case .json: Console.out(JSONWriter.write(Self.json(plan, errors: errors.count)))
        }
        if !errors.isEmpty { throw ExitCode(1) }
        if plan.hasChanges { throw ExitCode(2) }
    }

    static func text(_ plan: DeploymentPlan) -> String {
        var out = ""
        if !plan.engineReachable { out += "note: no engine reachable; planning against an empty engine\n" }
        for network in plan.networksToCreate { out += "+ network \(network)  create\n" }
        for volume in plan.volumesToCreate { out += "+ volume \(volume)  create\n" }
        for step in plan.containers {
            let symbol = switch step.action {
            case .create: "+"
            case .recreate: "~"
            case .start, .restart: ">"
            case .keep: "="
            case .orphan: "?"
            }
            let detail = step.changedFields.isEmpty ? "" : " (changed: \(step.changedFields.joined(separator: ", ")))"
            out += "\(symbol) container \(step.name)  \(step.action.rawValue)\(detail)\n"
        }
        out += "start order: " + plan.startOrder.map { $0.joined(separator: ", ") }.joined(separator: " -> ") + "\n"
        out += plan.hasChanges ? "up would make changes\n" : "nothing to do\n"
        return out
    }

    static func json(_ plan: DeploymentPlan, errors: Int) -> YAMLNode {
        .map([
            ("project", .string(plan.project)),
            ("engine", .bool(plan.engineReachable)),
            ("networks", .list(plan.networksToCreate.map { .map([("name", .string($0)), ("action", .string("create"))]) })),
            ("volumes", .list(plan.volumesToCreate.map { .map([("name", .string($0)), ("action", .string("create"))]) })),
            ("containers", .list(plan.containers.map { step in
                .map([("service", .string(step.service)), ("name", .string(step.name)), ("action", .string(step.action.rawValue)),
                      ("changed", .list(step.changedFields.map { .string($0) }))])
            })),
            ("start_order", .list(plan.startOrder.map { .list($0.map { .string($0) }) })),
            ("changes", .bool(plan.hasChanges)),
            ("errors", .int(errors)),
        ])
    }
}
