import ArgumentParser
import BerthDiagnostics
import BerthPlan
import BerthReports
import BerthSpec

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Find what would break before anything is launched (ports, names, subnets, network modes).",
        discussion: "FILES, when given, are checked one by one, each as its own project ('-f FILE'), as a pre-commit hook passes them.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "Output format: text, json, sarif, github or junit.") var format: ReportFormat = .text
    @Flag(help: "Fail on warnings too.") var strict = false
    @Flag(name: .customLong("no-host-scan"), help: "Do not look at the ports already bound on this host.") var noHostScan = false
    @Flag(name: .customLong("no-engine"), help: "Do not ask the Docker engine.") var noEngine = false
    @Option(help: ArgumentHelp("Check the files as this swarm stack, against the cluster's nodes and tasks (the manager is -H/DOCKER_HOST).", valueName: "STACK")) var stack: String?
    @Flag(help: "With --stack: as stack deploy --prune does, count the stack's services not in the files as removed.") var prune = false
    @Option(name: .customLong("node-endpoints"), help: ArgumentHelp("With --stack: also ask each node's own engine (addresses or contexts, comma-separated) for ports plain containers hold.", valueName: "ENDPOINTS")) var nodeEndpoints: [String] = []
    @Option(name: .customLong("ignore"), help: ArgumentHelp("Silence a warning code for this run (repeatable; errors stay).", valueName: "CODE")) var ignore: [String] = []
    @Argument(help: "Compose files to check one by one.") var files: [String] = []

    func validate() throws {
        if stack == nil && (prune || !nodeEndpoints.isEmpty) { throw ValidationError("--prune and --node-endpoints check a swarm stack: add --stack STACK") }
        if stack != nil && (noEngine || noHostScan) { throw ValidationError("--stack reads the swarm through its manager: --no-engine and --no-host-scan do not apply") }
    }

    func run() async throws {
        var failed = false
        if files.isEmpty {
            failed = try await check(global)
        } else {
            for file in files {
                var one = global
                one.files = [file]
                failed = try await check(one) || failed
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// Checks one project; in a machine format, stdout holds that format whatever fails, loading included: a YAML
    /// syntax error reaches code scanning and annotations like a port conflict does. Returns whether it failed.
    func check(_ global: GlobalOptions) async throws -> Bool {
        var projectOptions = global.projectOptions()
        if let stack { projectOptions.projectName = stack }
        let loaded = ProjectLoader.load(projectOptions)
        var diagnostics = stack == nil ? loaded.diagnostics : StackPreflight.loaderDiagnostics(loaded)
        var engineNote: String?
        let project = loaded.hasErrors ? nil : loaded.project
        if let project, let stack {
            diagnostics += try await StackPreflight.withNodeEngines(nodeEndpoints, global: global) { nodes in
                try await global.withEngine { client in await StackPreflight.run(project, stack: stack, client: client, ignored: Set(ignore), prune: prune, nodeEngines: nodes).diagnostics }
            }
        } else if let project {
            var options = PlanOptions.now()
            options.ignoredCodes = Set(ignore)
            let session = await PlanSession.run(project: project, options: options, hostScan: !noHostScan, endpoint: noEngine ? nil : try global.endpoint())
            diagnostics += session.plan.diagnostics
            engineNote = session.engineNote
        }
        let name = loaded.project?.name ?? global.projectName.map(ProjectName.normalize)
        let result = DiagnosticReport(loaded, project: name, diagnostics: diagnostics)
        try report.writeSARIF(result)
        if let engineNote { Console.error("berth: note: \(engineNote)\n") }
        if format == .text {
            Console.error(DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor).render(diagnostics))
            if let project {
                let (e, w, n) = (result.errors, result.warnings, result.notes)
                Console.out("\(project.name): \(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s"), \(n) note\(n == 1 ? "" : "s") in \(project.services.count) service\(project.services.count == 1 ? "" : "s")\n")
            } else {
                Console.error("berth: the project is invalid (\(result.errors) error\(result.errors == 1 ? "" : "s"))\n")
            }
        } else {
            let services = loaded.project?.services.map(\.name) ?? []
            Console.out(report.render(format, result, command: "check", services: services, strict: strict))
        }
        return diagnostics.hasErrors || (strict && result.warnings > 0)
    }
}
