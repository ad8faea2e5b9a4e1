import ArgumentParser
import BerthPlan
import DockerEngine
import Foundation

/// `exec`: runs a command in a service's running container, as `docker compose exec` does. Stdin is streamed into the
/// process (a pipe, a file or the terminal), and on a terminal the process gets a TTY that follows the window size.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exec", abstract: "Run a command in a running service container.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Run the command in the background.") var detach = false
    @Option(name: .shortAndLong, help: "Set an environment variable (KEY=VALUE, or KEY to pass Berth's own).") var env: [String] = []
    @Flag(help: "Give the process extended privileges.") var privileged = false
    @Option(name: .shortAndLong, help: "Run as this user (name or UID[:GID]).") var user: String?
    @Option(name: .shortAndLong, help: "Working directory inside the container.") var workdir: String?
    @Flag(name: [.customShort("T"), .customLong("no-TTY")], help: "Do not allocate a TTY (the default when stdout is not a terminal).") var noTTY = false
    @Flag(name: [.customShort("i"), .customLong("interactive")], help: "Keep stdin attached (always on, as in Compose).") var interactive = false
    @Option(name: .customLong("index"), help: "Which replica (1-based; the first running one by default).") var index: Int?
    @Argument(help: "The service.", completion: ServiceCompletion.kind) var service: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.") var command: [String] = []

    func validate() throws {
        if command.isEmpty {
            throw ValidationError("exec needs a command: berth exec \(service) COMMAND [ARG...] (for a shell: berth exec \(service) sh)")
        }
        if let index, index < 1 { throw ValidationError("--index counts replicas from 1") }
    }

    func run() async throws {
        let name = try resolvedProjectName(global)
        try await global.withEngine { client in try await execute(client, project: name) }
    }

    private func execute(_ client: DockerClient, project name: String) async throws {
        let id: String
        do {
            id = try await ServiceContainer.running(client, project: name, service: service, index: index).id
        } catch {
            Console.error("berth: \(error)\n")
            throw ExitCode(1)
        }
        let tty = !noTTY && !detach && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        let options = ExecOptions(command: command, tty: tty, attachStdin: !detach, user: user, privileged: privileged,
                                  workingDir: workdir, environment: Self.environment(env))
        let code: Int
        do {
            let exec = try await client.createExec(id, options)
            if detach {
                try await client.startExecDetached(exec)
                return
            }
            let terminal = TerminalSession(tty: tty) { rows, columns in try? await client.resizeExec(exec, rows: rows, columns: columns) }
            defer { terminal.end() }
            if tty { TerminalSession.sizeInitially { rows, columns in try await client.resizeExec(exec, rows: rows, columns: columns) } }
            try await client.startExec(exec, tty: tty, input: StandardInput(), output: TerminalSession.write)
            code = try await Self.exitCode(client, exec)
        } catch {
            Console.error("berth: \(error)\n")
            throw ExitCode(1)
        }
        if code != 0 { throw ExitCode(Int32(truncatingIfNeeded: code)) }
    }

    /// The exec's exit code once the engine records it: the stream may end (the process closed its output) a moment
    /// before the process does; one that never ends within 10 s is -1, as the docker CLI gives.
    static func exitCode(_ client: DockerClient, _ exec: String) async throws -> Int {
        for attempt in 0..<100 {
            if let code = try await client.execExitCode(exec) { return code }
            try await Task.sleep(for: .milliseconds(min(100, 5 * (attempt + 1))))
        }
        return -1
    }

    /// `-e KEY=VALUE` as written; `-e KEY` takes Berth's own value, and is left out when Berth has none (as Compose does).
    static func environment(_ entries: [String], from environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        entries.compactMap { entry in
            if entry.contains("=") { return entry }
            return environment[entry].map { "\(entry)=\($0)" }
        }
    }
}
