import ArgumentParser
import BerthSpec
import Foundation

/// Shell completion of service names: the services of the Compose files in the current directory (or those `-f`
/// and `COMPOSE_FILE` name on the line being completed), read by the same loader as every command.
enum ServiceCompletion {
    static let kind = CompletionKind.custom { words, _, _ in names(words) }

    static func names(_ words: [String], environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var files: [String] = []
        var index = 0
        while index < words.count {
            if (words[index] == "-f" || words[index] == "--file"), index + 1 < words.count { files.append(words[index + 1]) }
            index += 1
        }
        let loaded = ProjectLoader.load(ProjectOptions(files: files, environment: environment, currentDirectory: FileManager.default.currentDirectoryPath))
        let project = loaded.project
        return ((project?.services ?? []) + (project?.disabledServices ?? [])).map(\.name).sorted()
    }
}
