import ArgumentParser

/// `berth version`, as `docker compose version` prints its own.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Show Berth's version.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case pretty, json }

    @Option(name: [.short, .customLong("format")], help: "Output format: pretty or json.") var format: Format = .pretty
    @Flag(help: "Print only the version number.") var short = false

    func run() {
        if short { return Console.out("\(BerthCommand.version)\n") }
        switch format {
        case .pretty: Console.out("Berth version \(BerthCommand.version)\n")
        case .json: Console.out("{\"version\":\"\(BerthCommand.version)\"}\n")
        }
    }
}
