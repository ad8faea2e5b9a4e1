import ArgumentParser
import BerthDiagnostics
import BerthRuntime

/// `create`: the `up` plan carried out without starting anything (`docker compose create`).
struct CreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create the services' containers without starting them.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: PlanFlags
    @Flag(name: .customLong("quiet-pull"), help: "Show no pull progress.") var quietPull = false
    @Flag(name: .customLong("no-check"), help: "Skip the pre-flight check.") var noCheck = false
    func run() async throws {
        try await StackRun(global: global, flags: flags, filter: ProgressFilter(quietPull: quietPull), check: !noCheck).run(start: false)
    }
}

/// `scale SERVICE=N...`: the `up` plan with those replica counts, for those services (and their dependencies unless
/// `--no-deps`), as `docker compose scale` does.
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scale", abstract: "Set the number of replicas of services.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-deps"), help: "Do not start the services' dependencies.") var noDeps = false
    @Argument(help: ArgumentHelp("Services and their replica counts.", valueName: "SERVICE=N")) var scales: [String]

    func validate() throws {
        if scales.isEmpty { throw ValidationError("scale needs at least one SERVICE=N") }
        for entry in scales {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("invalid scale specifier: \(entry)") }
            guard let count = Int(parts[1]), count >= 0 else { throw ValidationError("invalid scale specifier: can't parse replica value as int: \(entry)") }
        }
    }

    func run() async throws {
        var flags = try PlanFlags.parse([])
        flags.scale = scales
        flags.noDeps = noDeps
        flags.services = scales.map { String($0.split(separator: "=")[0]) }
        try await StackRun(global: global, flags: flags, check: true).run(start: true)
    }
}
