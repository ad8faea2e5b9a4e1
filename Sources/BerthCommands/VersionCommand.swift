import ArgumentParser
import DockerEngine
import Foundation

/// `berth version`, as `docker compose version` prints its own, followed by the engine's when one answers.
struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Show Berth's version and the engine's.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case pretty, json }

    @OptionGroup var global: GlobalOptions
    /// `-f` after `version` means format, as in Compose; the command line is rewritten to `--format` before parsing.
    @Option(name: .customLong("format"), help: "Output format: pretty or json (-f).") var format: Format = .pretty
    @Flag(help: "Print only Berth's version number.") var short = false

    func run() async throws {
        if short { return Console.out("\(BerthCommand.version)\n") }
        let engine: (version: String, api: String)? = try? await global.withEngine { client in
            let info = try await client.info()
            return (info.serverVersion, try await client.negotiate().version)
        }
        switch format {
        case .pretty:
            var text = "Berth version \(BerthCommand.version)\n"
            if let engine { text += "Docker Engine version \(engine.version) (API \(engine.api))\n" }
            Console.out(text)
        case .json:
            var object: [String: JSONValue] = ["version": .string(BerthCommand.version)]
            if let engine { object["engine"] = .object(["version": .string(engine.version), "apiVersion": .string(engine.api)]) }
            Console.out(JSONValue.object(object).text + "\n")
        }
    }
}
