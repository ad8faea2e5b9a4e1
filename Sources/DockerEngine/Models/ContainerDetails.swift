/// The part of `GET /containers/{id}/json` that Berth reads.
public struct ContainerDetails: Sendable, Hashable {
    public struct State: Sendable, Hashable {
        public var status: String
        public var running: Bool
        public var restarting: Bool
        public var exitCode: Int
        public var startedAt: String
        public var finishedAt: String
        /// `starting`, `healthy` or `unhealthy`; nil without a healthcheck.
        public var health: String?
        /// When the first successful health probe still in the engine's log ended (RFC 3339).
        public var firstHealthyProbe: String?
    }

    public var id: String
    public var name: String
    public var state: State
    public var labels: [String: String]
    public var tty: Bool
    public var mounts: [ContainerSummary.Mount]
    public var networkMode: String
    /// Attached networks by name, with the address the container has on each.
    public var networks: [String: String]

    init(json: JSONValue) {
        let state = json["State"]
        self.id = json["Id"]?.string ?? ""
        self.name = String((json["Name"]?.string ?? "").drop { $0 == "/" })
        self.state = State(
            status: state?["Status"]?.string ?? "",
            running: state?["Running"]?.bool ?? false,
            restarting: state?["Restarting"]?.bool ?? false,
            exitCode: state?["ExitCode"]?.int ?? -1,
            startedAt: state?["StartedAt"]?.string ?? "",
            finishedAt: state?["FinishedAt"]?.string ?? "",
            health: state?["Health"]?["Status"]?.string,
            firstHealthyProbe: state?["Health"]?["Log"]?.array?.first { $0["ExitCode"]?.int == 0 }?["End"]?.string)
        self.labels = json["Config"]?["Labels"]?.stringMap ?? [:]
        self.tty = json["Config"]?["Tty"]?.bool ?? false
        self.mounts = (json["Mounts"]?.array ?? []).map { mount in
            ContainerSummary.Mount(type: mount["Type"]?.string ?? "", name: mount["Name"]?.string, source: mount["Source"]?.string ?? "",
                                   destination: mount["Destination"]?.string ?? "")
        }
        self.networkMode = json["HostConfig"]?["NetworkMode"]?.string ?? ""
        self.networks = (json["NetworkSettings"]?["Networks"]?.object ?? [:]).mapValues { $0["IPAddress"]?.string ?? "" }
    }
}
