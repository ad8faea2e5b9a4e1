import ArgumentParser
import BerthDiagnostics
import BerthSpec

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Find what would break before anything is launched (ports, names, subnets, network modes).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, sarif, github }

    @OptionGroup var global: GlobalOptions
    @Option(help: "Output format: text, json, sarif or github.") var format: Format = .text
    @Flag(help: "Fail on warnings too.") var strict = false
    @Flag(name: .customLong("no-host-scan"), help: "Do not look at the ports already bound on this host.") var noHostScan = false
    @Flag(name: .customLong("no-engine"), help: "Do not ask the Docker engine.") var noEngine = false

    func run() async throws {
        // In a machine format, stdout holds that format whatever fails, loading included: a YAML syntax error reaches
        // code scanning and annotations like a port conflict does.
        if format != .text {
            let loaded = ProjectLoader.load(global.projectOptions())
            guard let project = loaded.project, !loaded.hasErrors else {
                Console.out(render(loaded.diagnostics, project: global.projectName.map(ProjectName.normalize)))
                throw ExitCode(1)
            }
            let session = await PlanSession.run(project: project, hostScan: !noHostScan, useEngine: !noEngine)
            let diagnostics = loaded.diagnostics + session.plan.diagnostics
            Console.out(render(diagnostics, project: project.name))
            if diagnostics.hasErrors || (strict && diagnostics.count(of: .warning) > 0) { throw ExitCode(1) }
            return
        }
        let (project, loaded) = try ProjectSession.load(global)
        let session = await PlanSession.run(project: project, hostScan: !noHostScan, useEngine: !noEngine)
        let diagnostics = loaded.diagnostics + session.plan.diagnostics
        let renderer = DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor)
        Console.error(renderer.render(session.plan.diagnostics))
        if let note = session.engineNote { Console.error("berth: note: \(note)\n") }
        let e = diagnostics.count(of: .error), w = diagnostics.count(of: .warning), n = diagnostics.count(of: .note)
        Console.out("\(project.name): \(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s"), \(n) note\(n == 1 ? "" : "s") in \(project.services.count) service\(project.services.count == 1 ? "" : "s")\n")
        if diagnostics.hasErrors || (strict && diagnostics.count(of: .warning) > 0) { throw ExitCode(1) }
    }

    func render(_ diagnostics: [Diagnostic], project: String?) -> String {
        switch format {
        case .text, .json: DiagnosticFormats.json(project: project, diagnostics)
        case .sarif: DiagnosticFormats.sarif(diagnostics)
        case .github: DiagnosticFormats.github(diagnostics)
        }
    }
}
