import ArgumentParser

/// `berth`: a Compose-compatible orchestrator that checks a stack before it launches it.
public struct BerthCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "berth",
        abstract: "A Compose-compatible orchestrator that finds port, name and subnet conflicts before anything starts.",
        version: "0.1.0",
        subcommands: [ConfigCommand.self, CheckCommand.self, PortsCommand.self, GraphCommand.self])

    public init() {}
}

extension BerthCommand {
    /// Runs the command line as an async command (the executable's only line).
    public static func runAsync() async {
        await Self.main(nil)
    }
}
