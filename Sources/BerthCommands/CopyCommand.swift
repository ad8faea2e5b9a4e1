import ArgumentParser
import BerthPlan
import BerthRuntime
import DockerEngine
import Foundation

/// `cp SERVICE:SRC DEST` and `cp SRC SERVICE:DEST`, as `docker compose cp` does: out of the first container of the
/// service, into every one of them (or the replica `--index` names); stopped containers too.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cp", abstract: "Copy files between a service's containers and the host.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Which replica (1-based).") var index: Int?
    @Flag(help: "Include one-off containers (of run).") var all = false
    @Flag(name: [.customShort("a"), .customLong("archive")], help: "Keep the files' owners (UID and GID).") var archive = false
    @Flag(name: [.customShort("L"), .customLong("follow-link")], help: "Follow a symbolic link in the source.") var followLink = false
    @Argument(help: "SERVICE:SRC_PATH or a host path.") var source: String
    @Argument(help: "A host path or SERVICE:DEST_PATH.") var destination: String

    /// A path on the host, or a service's: absolute paths and paths starting with `.` are the host's, as in Compose.
    enum Place: Equatable {
        case host(String)
        case service(String, String)

        init(_ argument: String) {
            guard !argument.hasPrefix("/"), !argument.hasPrefix("."), let colon = argument.firstIndex(of: ":") else {
                self = .host(argument)
                return
            }
            self = .service(String(argument[..<colon]), String(argument[argument.index(after: colon)...]))
        }
    }

    func validate() throws {
        if source.isEmpty { throw ValidationError("source can not be empty") }
        if destination.isEmpty { throw ValidationError("destination can not be empty") }
        switch (Place(source), Place(destination)) {
        case (.service, .service): throw ValidationError("copying between services is not supported")
        case (.host, .host): throw ValidationError("unknown copy direction: name a service as SERVICE:PATH on one side")
        default: break
        }
    }

    func run() async throws {
        let name = try resolvedProjectName(global)
        let service: String
        switch (Place(source), Place(destination)) {
        case (.service(let s, _), _), (_, .service(let s, _)): service = s
        default: return
        }
        try await global.withEngine { client in
            let containers = try await ServiceContainer.ordered(client, project: name, service: service, index: index, stopped: true)
                .filter { all || $0.labels[ComposeLabels.oneoff] != "True" }
            guard let first = containers.first else {
                Console.error("berth: no container found for service \"\(service)\"\n")
                throw ExitCode(1)
            }
            do {
                switch (Place(source), Place(destination)) {
                case (.service(_, let path), .host(let local)):
                    try await FileCopy.fromContainer(client: client, id: first.id, container: first.name, source: path, destination: local,
                                                     followLink: followLink)
                case (.host(let local), .service(_, let path)):
                    for container in containers {
                        try await FileCopy.toContainer(client: client, id: container.id, container: container.name, source: local, destination: path,
                                                       archive: archive, followLink: followLink)
                    }
                default:
                    break
                }
            } catch {
                Console.error("berth: \((error as? DockerError)?.message ?? "\(error)")\n")
                throw ExitCode(1)
            }
        }
    }
}
