import ArgumentParser
import BerthDiagnostics
import BerthRuntime
import BerthSpec
import DockerEngine
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

    @Option(name: [.customLong("context")], help: "Docker context to use (default: DOCKER_CONTEXT, or config.json's current context).")
    var context: String?

    @Option(name: [.customShort("H"), .customLong("host")], help: "Engine endpoint: unix:///path or tcp://HOST:PORT (default: DOCKER_HOST).")
    var host: String?

    @Option(name: .customLong("config"), help: "Location of the docker client's configuration (default: DOCKER_CONFIG, or ~/.docker).")
    var configDirectory: String?

    @Flag(name: .customLong("tls"), help: "Use TLS (implied by --tlsverify).") var tls = false
    @Flag(name: .customLong("tlsverify"), help: "Use TLS and verify the engine.") var tlsVerify = false
    @Option(name: .customLong("tlscacert"), help: "Trust certificates signed by this CA.") var tlsCACert: String?
    @Option(name: .customLong("tlscert"), help: "Path to the TLS certificate file.") var tlsCert: String?
    @Option(name: .customLong("tlskey"), help: "Path to the TLS key file.") var tlsKey: String?

    @Option(name: .customLong("progress"), help: "Progress output: auto, tty, plain, json or quiet (default: COMPOSE_PROGRESS, or auto).")
    var progressFlag: ProgressStyle?

    @Option(name: .customLong("ansi"), help: "Control characters: never, always or auto (default: COMPOSE_ANSI, or auto).")
    var ansiFlag: AnsiMode?

    @Flag(name: .customLong("dry-run"), help: "Print what a command that changes the stack would do (its plan), and do nothing.")
    var dryRun = false

    @Option(name: .customLong("parallel"), help: "At most this many engine operations at once; -1 for no limit (default: COMPOSE_PARALLEL_LIMIT).")
    var parallelFlag: Int?

    @Flag(name: .customLong("compatibility"), help: "Name containers with '_' as docker-compose 1 did (default: COMPOSE_COMPATIBILITY).")
    var compatibilityFlag = false

    public init() {}

    /// `--ansi`: whether control characters (colours, a redrawn progress block) are written.
    enum AnsiMode: String, ExpressibleByArgument, CaseIterable { case never, always, auto }

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var ansi: AnsiMode {
        ansiFlag ?? environment["COMPOSE_ANSI"].flatMap(AnsiMode.init(rawValue:)) ?? .auto
    }

    /// `--progress`, or `COMPOSE_PROGRESS`; with `--ansi never`, auto is plain (as Compose decides it).
    var progress: ProgressStyle {
        let chosen = progressFlag ?? environment["COMPOSE_PROGRESS"].flatMap(ProgressStyle.init(rawValue:)) ?? .auto
        if chosen == .auto && ansi == .never { return .plain }
        if chosen == .auto && ansi == .always { return .tty }
        return chosen
    }

    /// `--parallel`, or `COMPOSE_PARALLEL_LIMIT`; nil is no limit.
    var parallel: Int? {
        let value = parallelFlag ?? environment["COMPOSE_PARALLEL_LIMIT"].flatMap { Int($0) }
        guard let value, value > 0 else { return nil }
        return value
    }

    var compatibility: Bool {
        compatibilityFlag || ["1", "true", "True", "TRUE"].contains(environment["COMPOSE_COMPATIBILITY"] ?? "")
    }

    /// Between the parts of a container's name: `_` with `--compatibility`, `-` otherwise.
    var nameSeparator: String { compatibility ? "_" : "-" }

    public mutating func validate() throws {
        if let limit = environment["COMPOSE_PARALLEL_LIMIT"], parallelFlag == nil, Int(limit) == nil {
            throw ValidationError("COMPOSE_PARALLEL_LIMIT must be an integer (found: \"\(limit)\")")
        }
        if let value = environment["COMPOSE_PROGRESS"], progressFlag == nil, ProgressStyle(rawValue: value) == nil {
            throw ValidationError("unsupported COMPOSE_PROGRESS value \"\(value)\" (auto, tty, plain, json or quiet)")
        }
        if progress == .tty && ansi == .never { throw ValidationError("can't use --progress tty while ANSI support is disabled") }
        if progress == .plain && ansi == .always { throw ValidationError("can't use --progress plain while ANSI support is forced") }
    }

    /// The engine endpoint, chosen as the docker CLI chooses it; a choice Berth cannot use is an error, never a fall
    /// back to the local socket.
    func endpoint() throws -> DockerEndpoint { try endpoint(host: host, context: context) }

    /// Another engine's endpoint, with the same TLS and configuration choices: `entry` is a host address
    /// (`unix://`, `tcp://`, `ssh://`) or a docker context's name, as `--node-endpoints` lists them.
    func endpoint(entry: String) throws -> DockerEndpoint {
        entry.contains("://") ? try endpoint(host: entry, context: nil) : try endpoint(host: nil, context: entry)
    }

    private func endpoint(host: String?, context: String?) throws -> DockerEndpoint {
        var options = EndpointResolver.Options(host: host, context: context, configDirectory: configDirectory)
        options.tls = tls
        options.tlsVerify = tlsVerify
        options.tlsCACert = tlsCACert
        options.tlsCert = tlsCert
        options.tlsKey = tlsKey
        do {
            return try EndpointResolver.resolve(options)
        } catch {
            Console.error("berth: error: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// The docker client's configuration directory: `--config`, `DOCKER_CONFIG` or `~/.docker`.
    var dockerConfigDirectory: String {
        DockerConfigFile.directory(flag: configDirectory, environment: ProcessInfo.processInfo.environment)
    }

    /// A client of the chosen engine.
    func engineClient() throws -> DockerClient {
        let endpoint = try endpoint()
        do {
            return try DockerClient(endpoint: endpoint)
        } catch {
            Console.error("berth: error: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// An executor on `client` with the global choices: progress style, the docker configuration, `--parallel`.
    func executor(_ client: DockerClient, progress reporter: ProgressReporter? = nil) -> Executor {
        var executor = Executor(client: client, progress: reporter ?? progress.reporter(), configDirectory: dockerConfigDirectory)
        executor.parallel = ConcurrencyLimit(parallel)
        return executor
    }

    /// Runs `body` with a client of the chosen engine, shut down afterwards whether `body` returns or throws.
    func withEngine<T>(_ body: (DockerClient) async throws -> T) async throws -> T {
        let client = try engineClient()
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    func projectOptions(selectedServices: [String] = []) -> ProjectOptions {
        ProjectOptions(files: files, projectName: projectName, projectDirectory: projectDirectory, envFiles: envFiles,
                       profiles: profiles, selectedServices: selectedServices,
                       environment: ProcessInfo.processInfo.environment,
                       currentDirectory: FileManager.default.currentDirectoryPath)
    }

    var useColor: Bool {
        if noColor || ansi == .never { return false }
        if ansi == .always { return true }
        return isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
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
        try requireServices(services, in: project)
        return (project, result)
    }

    /// Services named on the command line must exist (after profiles).
    static func requireServices(_ services: [String], in project: ComposeProject) throws {
        for service in services where project.service(named: service) == nil {
            Console.error("berth: no such service: '\(service)'\n")
            throw ExitCode(1)
        }
    }
}

