/// What Berth reads of a swarm: its nodes, services, tasks, secrets and configs (`GET /nodes`, `/services`, `/tasks`,
/// `/secrets`, `/configs`). Specs sent to the engine stay Docker-shaped `JSONValue`s.
public struct SwarmNode: Sendable, Hashable {
    public var id: String
    /// `Spec.Name`, else the hostname.
    public var name: String
    public var hostname: String
    /// `manager` or `worker`.
    public var role: String
    /// `active`, `pause` or `drain`.
    public var availability: String
    /// `ready`, `down`, ...
    public var state: String
    public var labels: [String: String]
    public var engineLabels: [String: String]
    public var os: String
    public var architecture: String
    public var nanoCPUs: Int64
    public var memoryBytes: Int64
    /// `node-generic-resources`: a discrete resource's value, or how many named ones, by kind.
    public var genericResources: [String: Int64]
    public var address: String

    init(json: JSONValue) {
        let spec = json["Spec"], description = json["Description"]
        id = json["ID"]?.string ?? ""
        hostname = description?["Hostname"]?.string ?? ""
        let named = spec?["Name"]?.string ?? ""
        name = named.isEmpty ? hostname : named
        role = spec?["Role"]?.string ?? ""
        availability = spec?["Availability"]?.string ?? ""
        state = json["Status"]?["State"]?.string ?? ""
        labels = spec?["Labels"]?.stringMap ?? [:]
        engineLabels = description?["Engine"]?["Labels"]?.stringMap ?? [:]
        os = description?["Platform"]?["OS"]?.string ?? ""
        architecture = description?["Platform"]?["Architecture"]?.string ?? ""
        nanoCPUs = Int64(description?["Resources"]?["NanoCPUs"]?.double ?? 0)
        memoryBytes = Int64(description?["Resources"]?["MemoryBytes"]?.double ?? 0)
        var generic: [String: Int64] = [:]
        for resource in description?["Resources"]?["GenericResources"]?.array ?? [] {
            if let discrete = resource["DiscreteResourceSpec"], let kind = discrete["Kind"]?.string {
                generic[kind, default: 0] += Int64(discrete["Value"]?.double ?? 0)
            } else if let kind = resource["NamedResourceSpec"]?["Kind"]?.string {
                generic[kind, default: 0] += 1
            }
        }
        genericResources = generic
        address = json["Status"]?["Addr"]?.string ?? ""
    }
}

public struct SwarmService: Sendable, Hashable {
    public var id: String
    public var name: String
    /// `Version.Index`, which an update must send.
    public var version: Int
    public var labels: [String: String]
    /// The spec as the engine holds it.
    public var spec: JSONValue
    /// `ServiceStatus` (API 1.41 with `status=true`): running and desired tasks.
    public var runningTasks: Int?
    public var desiredTasks: Int?
    /// `UpdateStatus.State` (`updating`, `paused`, `completed`, `rollback_started`, ...); nil before any update.
    public var updateState: String?
    /// `Endpoint.Ports`: the ports as the swarm assigned them (an ingress port written as 0 gets one).
    public var endpointPorts: [(published: Int, target: Int, proto: String, mode: String)]

    init(json: JSONValue) {
        id = json["ID"]?.string ?? ""
        spec = json["Spec"] ?? .null
        name = spec["Name"]?.string ?? ""
        version = json["Version"]?["Index"]?.int ?? 0
        labels = spec["Labels"]?.stringMap ?? [:]
        runningTasks = json["ServiceStatus"]?["RunningTasks"]?.int
        desiredTasks = json["ServiceStatus"]?["DesiredTasks"]?.int
        updateState = json["UpdateStatus"]?["State"]?.string
        endpointPorts = (json["Endpoint"]?["Ports"]?.array ?? spec["EndpointSpec"]?["Ports"]?.array ?? []).map {
            ($0["PublishedPort"]?.int ?? 0, $0["TargetPort"]?.int ?? 0, $0["Protocol"]?.string ?? "tcp", $0["PublishMode"]?.string ?? "ingress")
        }
    }

    public static func == (a: SwarmService, b: SwarmService) -> Bool { a.id == b.id && a.version == b.version }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

public struct SwarmTask: Sendable, Hashable {
    public var id: String
    public var serviceID: String
    public var nodeID: String
    /// 0 for a global service's tasks.
    public var slot: Int
    public var desiredState: String
    public var state: String
    public var message: String
    public var error: String
    /// `Status.Timestamp` (RFC 3339).
    public var timestamp: String
    public var image: String
    public var labels: [String: String]
    /// Host-mode ports the task holds (`Status.PortStatus.Ports`).
    public var ports: [(published: Int, target: Int, proto: String)]
    public var containerID: String
    public var exitCode: Int?
    /// `Spec.Resources.Reservations`, as the task holds them (its own spec version's).
    public var reservedNanoCPUs: Int64
    public var reservedMemoryBytes: Int64
    /// Discrete generic resources reserved, by kind.
    public var reservedGeneric: [String: Int64]

    init(json: JSONValue) {
        id = json["ID"]?.string ?? ""
        serviceID = json["ServiceID"]?.string ?? ""
        nodeID = json["NodeID"]?.string ?? ""
        slot = json["Slot"]?.int ?? 0
        desiredState = json["DesiredState"]?.string ?? ""
        let status = json["Status"]
        state = status?["State"]?.string ?? ""
        message = status?["Message"]?.string ?? ""
        error = status?["Err"]?.string ?? ""
        timestamp = status?["Timestamp"]?.string ?? ""
        image = json["Spec"]?["ContainerSpec"]?["Image"]?.string ?? ""
        labels = json["Labels"]?.stringMap ?? [:]
        ports = (status?["PortStatus"]?["Ports"]?.array ?? []).map {
            ($0["PublishedPort"]?.int ?? 0, $0["TargetPort"]?.int ?? 0, $0["Protocol"]?.string ?? "tcp")
        }
        containerID = status?["ContainerStatus"]?["ContainerID"]?.string ?? ""
        exitCode = status?["ContainerStatus"]?["ExitCode"]?.int
        let reservations = json["Spec"]?["Resources"]?["Reservations"]
        reservedNanoCPUs = Int64(reservations?["NanoCPUs"]?.double ?? 0)
        reservedMemoryBytes = Int64(reservations?["MemoryBytes"]?.double ?? 0)
        var generic: [String: Int64] = [:]
        for resource in reservations?["GenericResources"]?.array ?? [] {
            if let kind = resource["DiscreteResourceSpec"]?["Kind"]?.string { generic[kind, default: 0] += Int64(resource["DiscreteResourceSpec"]?["Value"]?.double ?? 0) }
        }
        reservedGeneric = generic
    }

    public static func == (a: SwarmTask, b: SwarmTask) -> Bool { a.id == b.id && a.state == b.state && a.timestamp == b.timestamp }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// A secret or a config: the same shape for both.
public struct SwarmObject: Sendable, Hashable {
    public var id: String
    public var name: String
    public var version: Int
    public var labels: [String: String]

    init(json: JSONValue) {
        id = json["ID"]?.string ?? ""
        name = json["Spec"]?["Name"]?.string ?? ""
        version = json["Version"]?["Index"]?.int ?? 0
        labels = json["Spec"]?["Labels"]?.stringMap ?? [:]
    }
}
