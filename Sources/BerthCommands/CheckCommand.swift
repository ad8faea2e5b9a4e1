import ArgumentParser
import BerthDiagnostics

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
        let (project, loaded) = try ProjectSession.load(global, quiet: format != .text)
        let session = await PlanSession.run(project: project, hostScan: !noHostScan, useEngine: !noEngine)
        let diagnostics = loaded.diagnostics + session.plan.diagnostics
        switch format {
        case .text:
            let renderer = DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor)
            Console.error(renderer.render(session.plan.diagnostics))
            if let note = session.engineNote { Console.error("berth: note: \(note)\n") }
            let e = diagnostics.count(of: .error), w = diagnostics.count(of: .warning), n = diagnostics.count(of: .note)
            Console.out("\(project.name): \(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s"), \(n) note\(n == 1 ? "" : "s") in \(project.services.count) service\(project.services.count == 1 ? "" : "s")\n")
        case .json: Console.out(DiagnosticFormats.json(project: project.name, diagnostics))
        case .sarif: Console.out(DiagnosticFormats.sarif(diagnostics))
        case .github: Console.out(DiagnosticFormats.github(diagnostics))
        }
        if diagnostics.hasErrors || (strict && diagnostics.count(of: .warning) > 0) { throw ExitCode(1) }
    }
}
