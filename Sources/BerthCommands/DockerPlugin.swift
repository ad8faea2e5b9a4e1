import Foundation

/// Berth as a docker CLI plugin (`~/.docker/cli-plugins/docker-berth`, run as `docker berth ...`). The CLI runs the
/// plugin with all of its own arguments (docker/cli `cli-plugins/manager`): its global options, then the plugin's
/// name, then the plugin's arguments, and asks `docker-cli-plugin-metadata` for a description first.
enum DockerPlugin {
    static let metadataCommand = "docker-cli-plugin-metadata"
    static let name = "berth"

    static var metadata: String {
        """
        {
          "SchemaVersion": "0.1.0",
          "Vendor": "Berth",
          "Version": "\(BerthCommand.version)",
          "ShortDescription": "Compose-compatible orchestrator that checks a stack before it starts it"
        }

        """
    }

    /// The CLI sets `DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND`; a binary named `docker-berth` is a plugin too.
    static func isPluginInvocation(executable: String, environment: [String: String]) -> Bool {
        environment["DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND"] != nil || URL(fileURLWithPath: executable).lastPathComponent.hasPrefix("docker-")
    }

    /// The docker CLI's global options that take a value, by every name it accepts.
    static let valued: Set<String> = ["--config", "-c", "--context", "-H", "--host", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey"]
    /// The ones Berth honours, and the names it knows them by.
    static let honoured: [String: String] = ["--config": "--config", "-c": "--context", "--context": "--context", "-H": "--host", "--host": "--host",
                                             "--tlscacert": "--tlscacert", "--tlscert": "--tlscert", "--tlskey": "--tlskey",
                                             "--tls": "--tls", "--tlsverify": "--tlsverify"]

    /// Strips what the CLI passes before the plugin's name, keeping the global options that choose the engine
    /// (`--context`, `--host`, `--config` and TLS) as Berth's own.
    static func arguments(fromDockerCLI arguments: [String]) -> [String] {
        guard let nameIndex = pluginNameIndex(arguments) else { return arguments }
        var kept: [String] = []
        var index = 0
        while index < nameIndex {
            var flag = arguments[index]
            var value: String?
            if let equals = flag.firstIndex(of: "="), flag.hasPrefix("-") {
                value = String(flag[flag.index(after: equals)...])
                flag = String(flag[..<equals])
            } else if valued.contains(flag), index + 1 < nameIndex {
                value = arguments[index + 1]
                index += 1
            }
            if let name = honoured[flag] { kept += value.map { [name, $0] } ?? [name] }
            index += 1
        }
        return kept + arguments[(nameIndex + 1)...]
    }

    /// Where `berth` stands among the CLI's arguments: the first argument that is neither an option nor an option's value.
    static func pluginNameIndex(_ arguments: [String]) -> Int? {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == name { return index }
            if !argument.hasPrefix("-") { return nil }
            if valued.contains(argument) { index += 1 }
            index += 1
        }
        return nil
    }
}
