import ArgumentParser
import DockerEngine

/// `port SERVICE PRIVATE_PORT`: the host address a container port is published on, as `docker compose port` prints
/// it (`0.0.0.0:8080`).
struct PortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "port", abstract: "Print the host address of a published container port.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "tcp, udp or sctp.") var `protocol` = "tcp"
    @Option(help: "Which replica (1-based).") var index: Int?
    @Argument(help: "The service.", completion: ServiceCompletion.kind) var service: String
    @Argument(help: "The container port.") var privatePort: Int

    func validate() throws {
        guard (1...65535).contains(privatePort) else { throw ValidationError("the container port must be 1-65535, not \(privatePort)") }
    }

    func run() async throws {
        let name = try resolvedProjectName(global)
        let wanted = self.protocol.lowercased()
        try await global.withEngine { client in
            let container: ContainerSummary
            do {
                container = try await ServiceContainer.running(client, project: name, service: service, index: index)
            } catch {
                Console.error("berth: \(error)\n")
                throw ExitCode(1)
            }
            guard let port = container.ports.first(where: { $0.privatePort == privatePort && $0.type == wanted && $0.publicPort != nil }),
                  let published = port.publicPort else {
                let known = container.ports.map { "\($0.privatePort)/\($0.type)" }
                Console.error("berth: no port \(privatePort)/\(wanted) for container \(container.name)\(known.isEmpty ? "" : ": " + Array(Set(known)).sorted().joined(separator: ", "))\n")
                throw ExitCode(1)
            }
            // As Compose prints it: `0.0.0.0:8080`, `:::8080`.
            Console.out("\(port.ip):\(published)\n")
        }
    }
}
