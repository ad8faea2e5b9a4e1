import ArgumentParser
import DockerEngine
import Foundation

/// `attach SERVICE`: Berth's terminal joined to a running container's own streams, as `docker compose attach` does:
/// stdin unless `--no-stdin`, the container's TTY (raw mode, window size) when it has one, interrupts passed on to the
/// container without a TTY (`--sig-proxy`); the container's exit code is Berth's.
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attach", abstract: "Attach to a service's running container.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Which replica (1-based).") var index: Int?
    @Flag(name: .customLong("no-stdin"), help: "Do not attach stdin.") var noStdin = false
    @Option(name: .customLong("sig-proxy"), help: "Pass interrupts on to the container (true or false).") var sigProxy = true
    @Option(name: .customLong("detach-keys"), help: "The key sequence that detaches (the engine's ctrl-p,ctrl-q by default).") var detachKeys: String?
    @Argument(help: "The service.", completion: ServiceCompletion.kind) var service: String

    func run() async throws {
        let name = try resolvedProjectName(global)
        let code = try await global.withEngine { client -> Int? in
            do {
                let container = try await ServiceContainer.running(client, project: name, service: service, index: index)
                let tty = try await client.inspectContainer(container.id).tty
                let forwarding = sigProxy && !tty ? SignalForwarding(client: client, container: container.id) : nil
                defer { forwarding?.stop() }
                let terminal = TerminalSession(tty: tty) { rows, columns in try? await client.resizeContainer(container.id, rows: rows, columns: columns) }
                defer { terminal.end() }
                if tty { TerminalSession.sizeInitially { rows, columns in try await client.resizeContainer(container.id, rows: rows, columns: columns) } }
                try await client.attachContainer(container.id, tty: tty, input: noStdin ? nil : StandardInput(), detachKeys: detachKeys,
                                                 output: TerminalSession.write)
                let state = try await client.inspectContainer(container.id).state
                // Detached (the key sequence): the container runs on and Berth exits 0.
                return state.running ? nil : state.exitCode
            } catch let error as ExitCode {
                throw error
            } catch {
                Console.error("berth: \(error)\n")
                throw ExitCode(1)
            }
        }
        if let code, code != 0 { throw ExitCode(Int32(truncatingIfNeeded: code)) }
    }
}
