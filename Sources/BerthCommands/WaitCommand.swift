import ArgumentParser
import BerthPlan
import BerthRuntime
import DockerEngine

/// `wait SERVICE...`: blocks until the services' running containers stop, says each exit, and exits with the code of
/// the last one to stop, as `docker compose wait` does; `--down-project` then takes the project down.
struct WaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Wait for the services' containers to stop.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("down-project"), help: "Take the project down once they have stopped.") var downProject = false
    @Argument(help: "Services.", completion: ServiceCompletion.kind) var services: [String]

    func validate() throws {
        if services.isEmpty { throw ValidationError("wait needs at least one service") }
    }

    func run() async throws {
        let name = try resolvedProjectName(global)
        let last = try await global.withEngine { client -> Int in
            let containers = try await client.listContainers(all: false, filters: ["label": ComposeLabels.madeFor(name)])
                .filter { services.contains($0.labels[ComposeLabels.service] ?? "") }
            guard !containers.isEmpty else {
                Console.error("berth: no containers for project \"\(name)\"\n")
                throw ExitCode(1)
            }
            let last = await withTaskGroup(of: Int.self) { group -> Int in
                for container in containers {
                    group.addTask {
                        let code = (try? await client.waitContainer(container.id)) ?? -1
                        Console.out("container \"\(container.id)\" exited with status code \(code)\n")
                        return code
                    }
                }
                var last = 0
                for await code in group { last = code }
                return last
            }
            if downProject {
                do {
                    try await global.executor(client).down(projectName: name, stopTimeouts: [:], services: [:], options: .init()) {}
                } catch let error as RuntimeError {
                    Console.error("berth: \(error.diagnostics.first?.message ?? "cannot take the project down")\n")
                    throw ExitCode(1)
                }
            }
            return last
        }
        if last != 0 { throw ExitCode(Int32(truncatingIfNeeded: last)) }
    }
}
