import BerthSpec
import DockerEngine

/// Reads what the planner needs from a live engine into an `EngineSnapshot`.
public enum EngineInspector {
    public static func snapshot(client: DockerClient, project: ComposeProject) async throws -> EngineSnapshot {
        let (_, osType) = try await client.negotiate()
        var snapshot = EngineSnapshot(reachable: true, osType: osType)
        for entry in try await client.listContainers(all: true) {
            let labels = entry["Labels"]?.object ?? [:]
            let ports: [(ip: String, port: Int, proto: String)] = (entry["Ports"]?.array ?? []).compactMap { port in
                guard let published = port["PublicPort"]?.int else { return nil }
                return (port["IP"]?.string ?? "", published, port["Type"]?.string ?? "tcp")
            }
            let name = (entry["Names"]?.array?.first?.string ?? "").trimmingPrefix("/")
            snapshot.containers.append(.init(
                id: entry["Id"]?.string ?? "", name: String(name),
                project: labels["com.docker.compose.project"]?.string, service: labels["com.docker.compose.service"]?.string,
                state: entry["State"]?.string ?? "", configHash: labels["com.docker.compose.config-hash"]?.string,
                config: labels[ServiceFingerprint.configLabel]?.string,
                number: labels["com.docker.compose.container-number"]?.string.flatMap { Int($0) },
                publishedPorts: ports, hostNetwork: entry["HostConfig"]?["NetworkMode"]?.string == "host"))
        }
        for network in try await client.listNetworks() {
            let subnets = (network["IPAM"]?["Config"]?.array ?? []).compactMap { $0["Subnet"]?.string }
            snapshot.networks.append(.init(name: network["Name"]?.string ?? "", subnets: subnets,
                                           project: network["Labels"]?["com.docker.compose.project"]?.string))
        }
        snapshot.volumes = try await client.listVolumes().compactMap { $0["Name"]?.string }
        for service in project.services where service.networkMode == .host {
            guard let image = service.image, snapshot.imageExposedPorts[image] == nil,
                  let inspected = try await client.inspectImage(image) else { continue }
            snapshot.imageExposedPorts[image] = (inspected["Config"]?["ExposedPorts"]?.object ?? [:]).keys.sorted()
        }
        return snapshot
    }
}
