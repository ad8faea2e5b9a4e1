import ArgumentParser
import BerthSpec
import BerthYAML

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print the merged, interpolated, normalised model (like 'docker compose config').")

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @OptionGroup var global: GlobalOptions
    @Option(help: "Output format: yaml or json.") var format: Format = .yaml
    @Flag(help: "Print the service names, one per line.") var services = false
    @Flag(name: [.short, .long], help: "Only validate the configuration; print nothing.") var quiet = false

    func run() throws {
        let (project, _) = try ProjectSession.load(global, quiet: quiet)
        if quiet { return }
        if services {
            Console.out(project.services.map { $0.name + "\n" }.joined())
            return
        }
        let document = ConfigRenderer.document(project)
        switch format {
        case .yaml: Console.out(try YAMLEmitter.emit(document))
        case .json: Console.out(JSONWriter.write(document))
        }
    }
}
