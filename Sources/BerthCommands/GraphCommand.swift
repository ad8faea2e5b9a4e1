import ArgumentParser
import BerthDiagnostics
import BerthGraph
import BerthPictures
import Foundation

struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "Draw the stack: networks, network modes, ports, volumes, dependencies and the check's findings.",
        discussion: "The findings are those of 'check --no-engine --no-host-scan': the picture depends on the files alone. svg runs Graphviz's dot.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, dot, mermaid, svg }

    @OptionGroup var global: GlobalOptions
    @Option(help: "Output format: text, dot, mermaid or svg.") var format: Format = .text
    @Option(help: "Draw only this service and what it depends on.") var focus: String?

    func run() async throws {
        let (project, loaded) = try ProjectSession.load(global, quiet: true)
        let (graph, diagnostics) = ServiceGraph.build(project)
        if let focus, project.service(named: focus) == nil {
            Console.error("berth: no such service: '\(focus)'\n")
            throw ExitCode(1)
        }
        if !diagnostics.isEmpty {
            Console.error(DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor).render(diagnostics))
        }
        guard format != .text else {
            Console.out(GraphRenderer.text(graph, project: project))
            if diagnostics.hasErrors { throw ExitCode(1) }
            return
        }
        let session = await PlanSession.run(project: project, hostScan: false, endpoint: nil)
        let picture = StackPicture.build(project, graph: graph, findings: session.plan.diagnostics, claims: session.plan.claims, focus: focus)
        switch format {
        case .mermaid: Console.out(MermaidPicture.render(picture))
        case .dot: Console.out(DOTPicture.render(picture))
        default: Console.out(try Self.svg(DOTPicture.render(picture)))
        }
        if diagnostics.hasErrors { throw ExitCode(1) }
    }

    /// Runs Graphviz's `dot -Tsvg`; without it, says how to install it.
    static func svg(_ dot: String) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            Console.error("berth: --format svg needs Graphviz's 'dot': install it with 'sudo apt-get install graphviz' (Debian, Ubuntu), or use --format dot\n")
            throw ExitCode(1)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(dot.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let svg = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Console.error("berth: dot failed (exit \(process.terminationStatus))\n")
            throw ExitCode(1)
        }
        return String(decoding: svg, as: UTF8.self)
    }
}
