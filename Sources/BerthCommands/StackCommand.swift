import ArgumentParser
import BerthDiagnostics
import BerthRuntime
import BerthSpec
import DockerEngine
import Foundation

/// `berth stack`: a Compose file deployed to a Docker Swarm, as `docker stack` does it; `docker stack ls/ps/rm` see
/// what Berth deploys, and the other way round.
struct StackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack", abstract: "Deploy and manage stacks on a Docker Swarm.",
        subcommands: [StackDeployCommand.self, StackListCommand.self, StackServicesCommand.self, StackPsCommand.self, StackRemoveCommand.self])
}

struct StackDeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deploy", abstract: "Deploy a new stack or update an existing one.", aliases: ["up"])

    enum ResolveImage: String, ExpressibleByArgument, CaseIterable { case always, changed, never }

    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("c"), .customLong("compose-file")], help: "Compose files (repeatable; '-' reads stdin). Berth's -f works too.")
    var composeFiles: [String] = []
    @Flag(help: "Remove the stack's services that are no longer in the files.") var prune = false
    @Option(help: "Return once the services are created (true), or wait until they converge (false).") var detach = true
    @Option(name: .customLong("resolve-image"), help: "Pin images to their registry digest: always, changed or never.") var resolveImage: ResolveImage = .always
    @Flag(name: .shortAndLong, help: "Show no progress.") var quiet = false
    @Flag(name: .customLong("with-registry-auth"), help: "Send registry credentials to the swarm agents.") var withRegistryAuth = false
    @Flag(name: .customLong("no-check"), help: "Deploy even when the pre-flight check finds errors (they are still printed).") var noCheck = false
    @Option(name: .customLong("node-endpoints"), help: ArgumentHelp("Also ask each node's own engine (addresses or contexts, comma-separated) for ports plain containers hold.", valueName: "ENDPOINTS")) var nodeEndpoints: [String] = []
    @Argument(help: "The stack's name.") var stack: String

    func run() async throws {
        var options = global.projectOptions()
        if !composeFiles.isEmpty { options.files = composeFiles }
        options.projectName = stack
        let loaded = ProjectLoader.load(options)
        let renderer = DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor)
        let shown = StackPreflight.loaderDiagnostics(loaded)
        if !shown.isEmpty { Console.error(renderer.render(shown)) }
        guard let project = loaded.project, !loaded.hasErrors else {
            Console.error("berth: the project is invalid (\(loaded.diagnostics.count(of: .error)) error(s))\n")
            throw ExitCode(1)
        }
        var stackOptions = Executor.StackOptions()
        stackOptions.prune = prune
        stackOptions.wait = !detach
        stackOptions.resolveImage = resolveImage.rawValue
        stackOptions.registryAuth = withRegistryAuth
        let conditional = project.services.contains { $0.dependsOn.contains { $0.condition != .started } }
        if conditional && detach {
            Console.error("berth: note: depends_on conditions: each dependency level waits for the one before it (docker stack deploy ignores them)\n")
        }
        try await StackPreflight.withNodeEngines(nodeEndpoints, global: global) { nodes in try await global.withEngine { client in
            // The pre-flight check, as `check --stack` prints it: an error stops the deploy before anything is sent.
            let preflight = await StackPreflight.run(project, stack: stack, client: client, prune: prune, nodeEngines: nodes)
            if !preflight.diagnostics.isEmpty { Console.error(renderer.render(preflight.diagnostics)) }
            if preflight.diagnostics.hasErrors && !noCheck {
                Console.error("berth: the stack would not deploy cleanly (\(preflight.diagnostics.count(of: .error)) error(s)); nothing was changed (use --no-check to deploy anyway)\n")
                throw ExitCode(1)
            }
            let executor = global.executor(client, progress: quiet ? .silent : global.progress.reporter())
            do {
                let report = try await executor.deployStack(project, stack: stack, options: stackOptions)
                if !report.warnings.isEmpty { Console.error(renderer.render(report.warnings)) }
            } catch let error as RuntimeError {
                Console.error(renderer.render(error.diagnostics))
                throw ExitCode(1)
            }
        } }
    }
}

struct StackRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove stacks, and wait until they are gone.", aliases: ["remove", "down"])

    @OptionGroup var global: GlobalOptions
    @Option(help: "Seconds to wait for the stack's tasks and networks to go.") var timeout = 120
    @Argument(help: "Stacks.") var stacks: [String]

    func run() async throws {
        try await global.withEngine { client in
            let executor = global.executor(client)
            var failed = false
            for stack in stacks {
                do {
                    let report = try await executor.removeStack(stack, timeout: timeout)
                    if report.removed.isEmpty { Console.error("Nothing found in stack: \(stack)\n") }
                } catch let error as RuntimeError {
                    Console.error(DiagnosticRenderer(sources: SourceCache()).render(error.diagnostics))
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
