import ArgumentParser
import BerthDiagnostics
import BerthSpec
import Foundation

/// The options every command takes, named as in `docker compose`.
public struct GlobalOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .customLong("file")], help: "Compose configuration files (repeatable).")
    var files: [String] = []

    @Option(name: [.customShort("p"), .customLong("project-name")], help: "Project name.")
    var projectName: String?

    @Option(name: .customLong("project-directory"), help: "Alternate working directory (default: the first file's directory).")
    var projectDirectory: String?

    @Option(name: .customLong("env-file"), help: "Alternate environment files (repeatable).")
    var envFiles: [String] = []

    @Option(name: .customLong("profile"), help: "Profiles to enable (repeatable).")
    var profiles: [String] = []

    @Flag(name: .customLong("no-color"), help: "Do not colour the output.")
    var noColor = false

    public init() {}

    func projectOptions(selectedServices: [String] = []) -> ProjectOptions {
        ProjectOptions(files: files, projectName: projectName, projectDirectory: projectDirectory, envFiles: envFiles,
                       profiles: profiles, selectedServices: selectedServices,
                       environment: ProcessInfo.processInfo.environment,
                       currentDirectory: FileManager.default.currentDirectoryPath)
    }

    var useColor: Bool {
        !noColor && isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}

/// Loads the project for a command, printing its diagnostics; throws exit code 1 when it is invalid.
enum ProjectSession {
    static func load(_ options: GlobalOptions, services: [String] = [], quiet: Bool = false) throws -> (ComposeProject, LoadResult) {
        let result = ProjectLoader.load(options.projectOptions(selectedServices: services))
        let renderer = DiagnosticRenderer(sources: result.sources, useColor: options.useColor)
        let shown = quiet ? result.diagnostics.filter { $0.severity == .error } : result.diagnostics
        if !shown.isEmpty { Console.error(renderer.render(shown)) }
        guard let project = result.project, !result.hasErrors else {
            let errors = result.diagnostics.count(of: .error)
            Console.error("berth: the project is invalid (\(errors) error\(errors == 1 ? "" : "s"))\n")
            throw ExitCode(1)
        }
        for service in services where project.service(named: service) == nil {
            Console.error("berth: no such service: '\(service)'\n")
            throw ExitCode(1)
        }
        return (project, result)
    }
}

/// Writes to standard output and error without buffering surprises.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
