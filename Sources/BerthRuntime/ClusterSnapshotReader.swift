import BerthPlan
import DockerEngine

/// Reads what the stack checker needs from a swarm manager into a `ClusterSnapshot`: the nodes, every task the
/// scheduler counts against a node (assigned up to running, whatever its desired state) with the host ports and
/// reservations of its service, and the ingress ports services publish.
public enum ClusterSnapshotReader {
    /// The task states the scheduler counts against a node.
    static let placedStates: Set<String> = ["assigned", "accepted", "preparing", "ready", "starting", "running"]

    public static func read(client: DockerClient) async throws -> ClusterSnapshot {
        async let nodes = client.listNodes()
        async let services = client.listServices()
        async let tasks = client.listTasks()
        async let identity = EngineIdentity.resolve(client: client)
        let byID = Dictionary(try await services.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // A task on its way out (desired shutdown or remove) frees its node once it stops; the scheduler then retries,
        // so it is left out, as the settled state has it.
        let placed: [ClusterSnapshot.Task] = try await tasks.compactMap { task in
            guard placedStates.contains(task.state), !task.nodeID.isEmpty, ["running", "ready", "complete"].contains(task.desiredState),
                  let service = byID[task.serviceID] else { return nil }
            return ClusterSnapshot.Task(
                service: service.name, name: task.slot > 0 ? "\(service.name).\(task.slot)" : "\(service.name).\(task.nodeID)",
                stack: service.labels[SwarmSpec.namespaceLabel], nodeID: task.nodeID,
                hostPorts: service.endpointPorts.filter { $0.mode == "host" && $0.published != 0 }.map { .init($0.published, $0.proto) },
                nanoCPUs: task.reservedNanoCPUs, memoryBytes: task.reservedMemoryBytes, generic: task.reservedGeneric)
        }
        let published = try await services.flatMap { service in
            service.endpointPorts.filter { $0.published != 0 }.map {
                ClusterSnapshot.PublishedPort(service: service.name, stack: service.labels[SwarmSpec.namespaceLabel], port: .init($0.published, $0.proto),
                                              ingress: $0.mode != "host")
            }
        }
        return ClusterSnapshot(nodes: try await nodes.map(node).sorted { ($0.hostname, $0.id) < ($1.hostname, $1.id) }, tasks: placed, published: published,
                               apiVersion: try await identity.apiVersion)
    }

    static func node(_ node: SwarmNode) -> ClusterSnapshot.Node {
        ClusterSnapshot.Node(id: node.id, hostname: node.hostname, role: node.role, availability: node.availability, state: node.state, address: node.address,
                             labels: node.labels, engineLabels: node.engineLabels, os: node.os, architecture: node.architecture,
                             nanoCPUs: node.nanoCPUs, memoryBytes: node.memoryBytes, generic: node.genericResources)
    }

    /// Host ports held on each node by plain containers (not swarm tasks), asked of the nodes' own engines; an engine
    /// that is not a node of the swarm, or does not answer, is named in the second list.
    public static func outsideClaims(clients: [(name: String, client: DockerClient)]) async -> (claims: [ClusterSnapshot.OutsideClaim], problems: [String]) {
        var claims: [ClusterSnapshot.OutsideClaim] = []
        var problems: [String] = []
        for (name, client) in clients {
            do {
                let state = try await client.swarmState()
                guard !state.nodeID.isEmpty else {
                    problems.append("\(name) is not a node of a swarm")
                    continue
                }
                for container in try await client.listContainers(all: false) where container.labels["com.docker.swarm.task.id"] == nil {
                    for port in container.ports {
                        guard let published = port.publicPort else { continue }
                        let claim = ClusterSnapshot.OutsideClaim(nodeID: state.nodeID, port: .init(published, port.type), holder: "container '\(container.name)'")
                        if !claims.contains(claim) { claims.append(claim) }
                    }
                }
            } catch {
                problems.append("\(name) did not answer: \((error as? DockerError)?.message ?? "\(error)")")
            }
        }
        return (claims, problems)
    }
}
