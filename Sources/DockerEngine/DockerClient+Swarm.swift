import Foundation

/// The Swarm endpoints a stack deploy and its checks use. Docker-shaped: specs go as `JSONValue`, answers come back
/// typed.
extension DockerClient {
    /// Whether this engine is a swarm manager (`Info.Swarm.ControlAvailable`), and its node ID.
    public func swarmState() async throws -> (manager: Bool, nodeID: String, localState: String) {
        let swarm = try await send(.GET, "/info").json()["Swarm"]
        return (swarm?["ControlAvailable"]?.bool ?? false, swarm?["NodeID"]?.string ?? "", swarm?["LocalNodeState"]?.string ?? "")
    }

    public func listNodes() async throws -> [SwarmNode] {
        (try await send(.GET, "/nodes").json().array ?? []).map(SwarmNode.init)
    }

    public func listServices(filters: [String: [String]] = [:]) async throws -> [SwarmService] {
        var query = [("status", "true")]
        if !filters.isEmpty { query.append(("filters", Self.filters(filters))) }
        return (try await send(.GET, "/services", query: query).json().array ?? []).map(SwarmService.init)
    }

    public func inspectService(_ id: String) async throws -> SwarmService? {
        let response = try await send(.GET, "/services/\(id)", allowing: [404])
        return response.status == 404 ? nil : SwarmService(json: try response.json())
    }

    /// Creates a service; returns its ID and the engine's warnings.
    public func createService(_ spec: JSONValue, registryAuth: String? = nil) async throws -> (id: String, warnings: [String]) {
        let answer = try await send(.POST, "/services/create", body: spec, headers: registryAuth.map { [("X-Registry-Auth", $0)] } ?? []).json()
        return (answer["ID"]?.string ?? "", (answer["Warnings"]?.array ?? []).compactMap(\.string))
    }

    /// Replaces a service's spec; `version` is the `Version.Index` it was read at (a stale one is refused).
    public func updateService(_ id: String, version: Int, spec: JSONValue, registryAuth: String? = nil) async throws -> [String] {
        let answer = try await send(.POST, "/services/\(id)/update", query: [("version", String(version))], body: spec,
                                    headers: registryAuth.map { [("X-Registry-Auth", $0)] } ?? []).json()
        return (answer["Warnings"]?.array ?? []).compactMap(\.string)
    }

    public func removeService(_ id: String) async throws {
        _ = try await send(.DELETE, "/services/\(id)", allowing: [404])
    }

    public func listTasks(filters: [String: [String]] = [:]) async throws -> [SwarmTask] {
        let query = filters.isEmpty ? [] : [("filters", Self.filters(filters))]
        return (try await send(.GET, "/tasks", query: query).json().array ?? []).map(SwarmTask.init)
    }

    /// `kind` is `secrets` or `configs`.
    public func listSwarmObjects(_ kind: String, filters: [String: [String]] = [:]) async throws -> [SwarmObject] {
        let query = filters.isEmpty ? [] : [("filters", Self.filters(filters))]
        return (try await send(.GET, "/\(kind)", query: query).json().array ?? []).map(SwarmObject.init)
    }

    /// Creates a secret or a config (`kind`: `secrets` or `configs`); returns its ID.
    public func createSwarmObject(_ kind: String, name: String, data: [UInt8], labels: [String: String]) async throws -> String {
        let spec: JSONValue = .object(["Name": .string(name), "Labels": .object(labels.mapValues(JSONValue.string)),
                                       "Data": .string(Data(data).base64EncodedString())])
        return try await send(.POST, "/\(kind)/create", body: spec).json()["ID"]?.string ?? ""
    }

    public func removeSwarmObject(_ kind: String, id: String) async throws {
        _ = try await send(.DELETE, "/\(kind)/\(id)", allowing: [404])
    }
}
