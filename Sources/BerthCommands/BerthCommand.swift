import ArgumentParser
import Foundation

/// `berth`: a Compose-compatible orchestrator that checks a stack before it launches it.
public struct BerthCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "berth",
        abstract: "A Compose-compatible orchestrator that finds port, name and subnet conflicts before anything starts.",
        version: version,
        subcommands: [VersionCommand.self, ConfigCommand.self, PullCommand.self, PushCommand.self, BuildCommand.self, CheckCommand.self, RulesCommand.self, PortsCommand.self, GraphCommand.self, PlanCommand.self, UpCommand.self, DownCommand.self,
                      PsCommand.self, LogsCommand.self, ExecCommand.self, StartCommand.self, StopCommand.self, RestartCommand.self,
                      KillCommand.self, PauseCommand.self, UnpauseCommand.self, RunCommand.self, RmCommand.self,
                      PortCommand.self, TopCommand.self, CopyCommand.self, CreateCommand.self, ScaleCommand.self, AttachCommand.self,
                      ListCommand.self, ImagesCommand.self, WaitCommand.self, EventsCommand.self, StatsCommand.self, StackCommand.self])

    /// Berth's version (semantic versioning), as `--version`, SARIF and the JSON reports give it.
    public static let version = "0.1.0"

    public init() {}
}

extension BerthCommand {
    /// Runs the command line as an async command (the executable's only line).
    public static func runAsync() async {
        signal(SIGPIPE, SIG_IGN)
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == DockerPlugin.metadataCommand {
            Console.out(DockerPlugin.metadata)
            return
        }
        if DockerPlugin.isPluginInvocation(executable: CommandLine.arguments.first ?? "", environment: ProcessInfo.processInfo.environment) {
            arguments = DockerPlugin.arguments(fromDockerCLI: arguments)
        }
        if let word = commandWord(arguments), UnsupportedCommands.names.contains(word) {
            Console.error(UnsupportedCommands.message(word))
            Foundation.exit(64)
        }
        if arguments.contains("--dry-run"), let word = commandWord(arguments), DryRun.unsupported.contains(word) {
            Console.error("berth: --dry-run is not supported by '\(word)' yet; nothing was done\n")
            Foundation.exit(64)
        }
        await Self.main(reorderGlobalOptions(arguments))
    }

    /// Global options that take a value, which `docker compose` accepts before the command.
    static let valuedGlobalOptions: Set<String> = ["-f", "--file", "-p", "--project-name", "--project-directory", "--env-file", "--profile",
                                                    "--context", "-H", "--host", "--config", "--tlscacert", "--tlscert", "--tlskey",
                                                    "--progress", "--ansi", "--parallel"]

    /// The command word: the first argument that is neither an option nor an option's value.
    static func commandWord(_ arguments: [String]) -> String? {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if !argument.hasPrefix("-") { return argument }
            if valuedGlobalOptions.contains(argument) { index += 1 }
            index += 1
        }
        return nil
    }

    /// After `logs`, `-f` follows; after `rm`, it forces (as in Compose, also inside `-ft` or `-fsv`): `-f` becomes
    /// `long` in a cluster of the command's own short flags `letters`, which stay as they are.
    static func expandShortF(_ argument: String, letters: String, long: String) -> [String] {
        guard argument.count > 1, argument.hasPrefix("-"), !argument.hasPrefix("--"), argument.contains("f"),
              argument.dropFirst().allSatisfy({ letters.contains($0) }) else { return [argument] }
        return argument.dropFirst().map { $0 == "f" ? long : "-\($0)" }
    }

    /// Options of `run` that take a value (besides the global ones).
    static let valuedRunOptions: Set<String> = ["-e", "--env", "--env-from-file", "-u", "--user", "-w", "--workdir", "-v", "--volume", "--publish",
                                                "--name", "--entrypoint", "-l", "--label", "--cap-add", "--cap-drop", "--pull", "--progress"]

    /// After `run`, `-p` publishes a port, as in Compose: rewritten to `--publish` up to the service's name (after
    /// it, everything is the command's).
    static func runPublishFlags(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if !argument.hasPrefix("-") { return result + arguments[index...] }
            result.append(argument == "-p" ? "--publish" : argument)
            if argument == "-p" || valuedRunOptions.contains(argument) || valuedGlobalOptions.contains(argument), index + 1 < arguments.count {
                result.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        return result
    }

    /// `docker compose -f x.yaml up` puts global options before the command; move them after it, where the
    /// subcommand's option group reads them.
    static func reorderGlobalOptions(_ arguments: [String]) -> [String] {
        // `berth help up` is the parser's own help, not `up` with a service named help; the shell's completion calls
        // (`---completion`, `--generate-completion-script`) are the parser's too.
        if arguments.first == "help" || arguments.first == "---completion" || arguments.first == "--generate-completion-script" { return arguments }
        let names = Set(configuration.subcommands.map { $0.configuration.commandName ?? "" })
        let valued = valuedGlobalOptions
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if names.contains(argument) {
                var rest = Array(arguments[(index + 1)...])
                if argument == "logs" { rest = rest.flatMap { expandShortF($0, letters: "ft", long: "--follow") } }
                if argument == "run" { rest = runPublishFlags(rest) }
                if argument == "rm" { rest = rest.flatMap { expandShortF($0, letters: "fsva", long: "--force") } }
                if argument == "version" { rest = rest.map { $0 == "-f" ? "--format" : $0 } }
                // A command group (`stack deploy`): the options go after its subcommand, whose option group reads them.
                if argument == "stack", let sub = rest.first, !sub.hasPrefix("-") { return [argument, sub] + leading + rest.dropFirst() }
                return [argument] + leading + rest
            }
            leading.append(argument == "-f" ? "--file" : argument == "-p" ? "--project-name" : argument)
            if valued.contains(argument), index + 1 < arguments.count {
                leading.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        return arguments
    }
}
