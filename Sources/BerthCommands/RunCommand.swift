import ArgumentParser
import BerthDiagnostics
import BerthPlan
import BerthRuntime
import BerthSpec
import DockerEngine
import Foundation

/// `run`: a one-off container of a service (migrations, jobs, a shell), as `docker compose run` makes it. The
/// dependencies come up first, from the same plan as `up`; then the container runs attached, with stdin and (on a
/// terminal) a TTY, and its exit code is Berth's.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a one-off command in a new container of a service.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Run in the background and print the container ID.") var detach = false
    @Flag(name: .customLong("rm"), help: "Remove the container when it ends.") var remove = false
    @Option(name: .shortAndLong, help: "Set an environment variable (KEY=VALUE, or KEY to pass Berth's own).") var env: [String] = []
    @Option(name: .customLong("env-from-file"), help: "Read environment variables from a file.") var envFromFile: [String] = []
    @Option(name: .shortAndLong, help: "Run as this user (name or UID[:GID]).") var user: String?
    @Option(name: .shortAndLong, help: "Working directory inside the container.") var workdir: String?
    @Option(name: [.short, .customLong("volume")], help: "Mount a volume (SOURCE:TARGET[:MODE]).") var volume: [String] = []
    /// `-p` after `run` means publish, as in Compose; the command line is rewritten to `--publish` before parsing.
    @Option(name: .customLong("publish"), help: "Publish a port (-p HOST:CONTAINER).") var publish: [String] = []
    @Flag(name: [.customShort("P"), .customLong("service-ports")], help: "Publish the service's own ports.") var servicePorts = false
    @Flag(name: .customLong("no-deps"), help: "Do not start the service's dependencies.") var noDeps = false
    @Option(help: "Name the container.") var name: String?
    @Option(help: "Override the image's entrypoint.") var entrypoint: String?
    @Flag(name: [.customShort("T"), .customLong("no-TTY")], help: "Do not allocate a TTY (the default when stdin or stdout is not a terminal).") var noTTY = false
    @Flag(name: [.customShort("i"), .customLong("interactive")], help: "Keep stdin attached (on by default, as in Compose).") var interactive = false
    @Flag(name: [.customShort("t"), .customLong("tty")], help: .hidden) var ttyFlag = false
    @Option(name: [.short, .customLong("label")], help: "Add a label (KEY=VALUE).") var label: [String] = []
    @Option(name: .customLong("cap-add"), help: "Add a Linux capability.") var capAdd: [String] = []
    @Option(name: .customLong("cap-drop"), help: "Drop a Linux capability.") var capDrop: [String] = []
    @Flag(name: .customLong("use-aliases"), help: "Give the container the service's network aliases.") var useAliases = false
    @Flag(help: "Build the image before running.") var build = false
    @Option(help: "Pull images: missing, always or never.") var pull: PlanOptions.Pull = .missing
    @Flag(name: .shortAndLong, help: "Show no progress.") var quiet = false
    @Flag(name: .customLong("quiet-pull"), help: "Show no pull progress.") var quietPull = false
    @Flag(name: .customLong("quiet-build"), help: "Show no build output.") var quietBuild = false
    @Flag(name: .customLong("remove-orphans"), help: "Remove containers of services not in the files.") var removeOrphans = false
    @Flag(name: .customLong("no-check"), help: "Skip the pre-flight check.") var noCheck = false
    var progress: ProgressStyle { global.progress }
    @Argument(help: "The service.", completion: ServiceCompletion.kind) var service: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (instead of the service's command).") var command: [String] = []

    func validate() throws {
        if servicePorts && !publish.isEmpty { throw ValidationError("--service-ports and --publish are incompatible") }
        for entry in label where !entry.contains("=") || entry.hasPrefix("=") { throw ValidationError("label must be set as KEY=VALUE, not '\(entry)'") }
        for entry in env where entry.isEmpty || entry.hasPrefix("=") { throw ValidationError("-e needs KEY=VALUE or KEY, not '\(entry)'") }
    }

    func run() async throws {
        let (project, loaded) = try ProjectSession.load(global, services: [service], quiet: false)
        let renderer = DiagnosticRenderer(sources: loaded.sources, useColor: global.useColor)
        let run: OneOffRun
        do {
            run = try oneOff(project)
        } catch let invalid as CommandLineSyntax.Invalid {
            Console.error(renderer.render([invalid.diagnostic]))
            throw ExitCode(1)
        }
        var options = Executor.UpOptions()
        options.plan = .now()
        options.plan.separator = global.nameSeparator
        options.plan.run = run
        options.plan.noDeps = noDeps
        options.plan.pull = pull
        options.plan.build = build
        options.plan.removeOrphans = removeOrphans
        options.plan.check = !noCheck
        if global.dryRun { return try await DryRun.show(project, loaded, options: options.plan, global: global) }
        options.onLockWait = { Console.lockWait(project.name) }
        let reporter = quiet ? ProgressStyle.quiet.reporter() : ProgressFilter(quietPull: quietPull, quietBuild: quietBuild).apply(progress.reporter())
        try await global.withEngine { client in
            let executor = global.executor(client, progress: reporter)
            let prepared: Executor.RunReport
            do {
                prepared = try await executor.prepareRun(project, options: options)
            } catch let error as RuntimeError {
                Console.error(renderer.render(error.diagnostics))
                if error.refused { Console.error("berth: nothing was run: the plan has \(error.diagnostics.count(of: .error)) error(s)\n") }
                throw ExitCode(1)
            }
            let warnings = prepared.plan.diagnostics.filter { $0.severity == .warning } + executor.engineWarnings.diagnostics
            if !warnings.isEmpty { Console.error(renderer.render(warnings)) }
            let code = try await attachAndStart(prepared, executor: executor, client: client, tty: run.tty, interactive: run.interactive)
            if code != 0 { throw ExitCode(Int32(truncatingIfNeeded: code)) }
        }
    }

    /// Starts the container: in the background (printing its ID), or attached until it ends; returns its exit code.
    private func attachAndStart(_ prepared: Executor.RunReport, executor: Executor, client: DockerClient, tty: Bool, interactive: Bool) async throws -> Int {
        let id = prepared.containerID
        do {
            if detach {
                try await executor.startOneOff(prepared)
                Console.out(id + "\n")
                return 0
            }
            let terminal = TerminalSession(tty: tty) { rows, columns in try? await client.resizeContainer(id, rows: rows, columns: columns) }
            defer { terminal.end() }
            // Without a TTY, interrupts go to the container (with a TTY, Ctrl-C is a key the process reads).
            let forwarding = tty ? nil : SignalForwarding(client: client, container: id)
            defer { forwarding?.stop() }
            var hooks: Task<Void, Error>?
            try await client.attachContainer(id, tty: tty, input: interactive ? StandardInput() : nil, attached: {
                try await client.startContainer(id)
                // post_start hooks run beside the stream, which must keep being read while they do.
                hooks = Task { try await executor.postStart(prepared) }
                if tty { TerminalSession.sizeInitially { rows, columns in try await client.resizeContainer(id, rows: rows, columns: columns) } }
            }, output: TerminalSession.write)
            if let hooks { try await hooks.value }
            let code = try await client.waitContainer(id)
            if remove { try await client.removeContainer(id, force: true, volumes: true) }
            return code
        } catch {
            terminalSafeError(error)
            if remove { try? await client.removeContainer(id, force: true, volumes: true) }
            throw ExitCode(1)
        }
    }

    private func terminalSafeError(_ error: Error) {
        let message = (error as? RuntimeError)?.diagnostics.first?.message ?? "\(error)"
        Console.error("berth: \(message)\n")
    }

    /// The one-off container the command line asks for.
    func oneOff(_ project: ComposeProject, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> OneOffRun {
        var run = OneOffRun(service: service, slug: Self.slug())
        run.name = name
        run.command = command.isEmpty ? nil : command
        run.entrypoint = entrypoint.map(ShellWords.split)
        var entries: [KeyValue] = []
        for file in envFromFile {
            let path = file.hasPrefix("/") ? file : URL(fileURLWithPath: project.workingDirectory).appendingPathComponent(file).path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CommandLineSyntax.Invalid(diagnostic: .error("missing-env-file", "--env-from-file: cannot read '\(file)'", at: CommandLineSyntax.location("--env-from-file")))
            }
            entries += EnvFile.parse(text) { environment[$0] }.0.map { KeyValue($0.key, $0.value) }
        }
        for entry in ExecCommand.environment(env, from: environment) {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            entries.removeAll { $0.key == parts[0] }
            entries.append(KeyValue(parts[0], parts.count > 1 ? parts[1] : ""))
        }
        run.environment = entries
        run.user = user
        run.workingDir = workdir
        run.volumes = try volume.map { text throws(CommandLineSyntax.Invalid) in try CommandLineSyntax.volume(text, flag: "-v", project: project) }
        run.publish = try publish.flatMap { text throws(CommandLineSyntax.Invalid) in try CommandLineSyntax.ports(text, flag: "-p") }
        run.servicePorts = servicePorts
        run.labels = label.map { entry in
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            return KeyValue(parts[0], parts.count > 1 ? parts[1] : "")
        }
        run.capAdd = capAdd
        run.capDrop = capDrop
        run.tty = (ttyFlag || !noTTY) && !detach && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        run.interactive = !detach
        run.useAliases = useAliases
        run.autoRemove = remove && detach
        return run
    }

    /// A random 64-hex slug, as Compose's `stringid.GenerateRandomID`.
    static func slug() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
