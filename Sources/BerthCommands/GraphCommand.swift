import ArgumentParser
import BerthDiagnostics
import BerthGraph

extension GraphRenderer.Format: ExpressibleByArgument {}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graph", abstract: "Draw the service graph (text, dot or mermaid).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Output format: text, dot or mermaid.") var format: GraphRenderer.Format = .text

    func run() throws {
        let (project, loaded) = try ProjectSession.load(global, quiet: true)
        let (graph, diagnostics) = ServiceGraph.build(project)
        if !diagnostics.isEmpty {
            Console.error(DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor).render(diagnostics))
        }
        Console.out(GraphRenderer.render(graph, project: project, format: format))
        if diagnostics.hasErrors { throw ExitCode(1) }
    }
}
