import BerthPlan
import BerthSpec
import DockerEngine

/// Reads what the planner needs from a live engine into an `EngineSnapshot`, asking the engine in parallel.
public enum EngineSnapshotReader {
    public static func read(client: DockerClient, project: ComposeProject) async throws -> EngineSnapshot {
        let identity = try await EngineIdentity.resolve(client: client)
        async let containers = client.listContainers(all: true)
        async let networks = client.listNetworks()
        async let volumes = client.listVolumes()
        let references = Set(project.services.map { Planner.imageReference(project: project, service: $0) })
        async let images = withThrowingTaskGroup(of: (String, ImageDetails?).self) { group in
            for reference in references { group.addTask { (reference, try await client.inspectImage(reference)) } }
            var found: [String: EngineSnapshot.Image] = [:]
            for try await (reference, details) in group {
                if let details { found[reference] = .init(id: details.id, exposedPorts: details.exposedPorts, volumes: details.volumes, lastTagTime: details.lastTagTime,
                                                                     hasHealthcheck: details.hasHealthcheck) }
            }
            return found
        }
        return EngineSnapshot(
            reachable: true, osType: identity.osType, engineID: identity.id,
            containers: try await containers.map(container), networks: try await networks.map(network),
            volumes: try await volumes.map(volume), images: try await images, capabilities: identity.capabilities)
    }

    /// A container belongs to a project when Compose or Berth made it for one: it carries a config hash. One merely run
    /// from a built image inherits only the image's project and service labels (as Compose's getContainers decides).
    static func container(_ summary: ContainerSummary) -> EngineSnapshot.Container {
        let labels = summary.labels
        let made = labels[ComposeLabels.configHash] != nil
        return EngineSnapshot.Container(
            id: summary.id, name: summary.name, project: made ? labels[ComposeLabels.project] : nil, service: made ? labels[ComposeLabels.service] : nil,
            number: labels[ComposeLabels.number].flatMap { Int($0) }, oneoff: labels[ComposeLabels.oneoff] == "True",
            state: summary.state, configHash: labels[ComposeLabels.configHash], config: labels[ServiceFingerprint.configLabel],
            imageID: labels[ComposeLabels.image], created: summary.created,
            publishedPorts: summary.ports.compactMap { port in port.publicPort.map { .init(ip: port.ip, port: $0, proto: port.type, target: port.privatePort) } },
            networkMode: summary.networkMode, networks: summary.networks,
            volumes: summary.mounts.compactMap { mount in
                guard mount.type == "volume", let name = mount.name else { return nil }
                return .init(name: name, destination: mount.destination)
            })
    }

    static func network(_ summary: NetworkSummary) -> EngineSnapshot.Network {
        .init(id: summary.id, name: summary.name, subnets: summary.subnets, project: summary.labels[ComposeLabels.project],
              configHash: summary.labels[ComposeLabels.configHash], config: summary.labels[ServiceFingerprint.configLabel])
    }

    static func volume(_ summary: VolumeSummary) -> EngineSnapshot.Volume {
        .init(name: summary.name, driver: summary.driver, project: summary.labels[ComposeLabels.project],
              configHash: summary.labels[ComposeLabels.configHash], config: summary.labels[ServiceFingerprint.configLabel])
    }
}
