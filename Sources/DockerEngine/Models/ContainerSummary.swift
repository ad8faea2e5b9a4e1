/// One entry of `GET /containers/json`: what the engine lists about a container without inspecting it.
public struct ContainerSummary: Sendable, Hashable {
    /// One published or exposed port (`Ports[]`).
    public struct Port: Sendable, Hashable {
        /// The host address (`""` when the port is only exposed).
        public var ip: String
        public var privatePort: Int
        /// The host port, when published.
        public var publicPort: Int?
        /// `tcp`, `udp` or `sctp`.
        public var type: String

        public init(ip: String, privatePort: Int, publicPort: Int?, type: String) {
            self.ip = ip
            self.privatePort = privatePort
            self.publicPort = publicPort
            self.type = type
        }
    }

    /// One mount (`Mounts[]`): `Name` is set for volumes.
    public struct Mount: Sendable, Hashable {
        public var type: String
        public var name: String?
        public var source: String
        public var destination: String

        public init(type: String, name: String?, source: String, destination: String) {
            self.type = type
            self.name = name
            self.source = source
            self.destination = destination
        }
    }

    public var id: String
    /// The name without the leading slash.
    public var name: String
    public var image: String
    public var imageID: String
    public var labels: [String: String]
    /// `created`, `running`, `paused`, `restarting`, `removing`, `exited` or `dead`.
    public var state: String
    /// The human status (`Up 2 seconds (healthy)`).
    public var status: String
    public var created: Int
    public var ports: [Port]
    public var mounts: [Mount]
    /// `HostConfig.NetworkMode`.
    public var networkMode: String
    /// The names of the networks the container is attached to.
    public var networks: [String]
    /// The command as the engine lists it (`Command`).
    public var command = ""

    public init(id: String, name: String, image: String = "", imageID: String = "", labels: [String: String] = [:], state: String,
                status: String = "", created: Int = 0, ports: [Port] = [], mounts: [Mount] = [], networkMode: String = "", networks: [String] = []) {
        self.id = id
        self.name = name
        self.image = image
        self.imageID = imageID
        self.labels = labels
        self.state = state
        self.status = status
        self.created = created
        self.ports = ports
        self.mounts = mounts
        self.networkMode = networkMode
        self.networks = networks
    }

    init(json: JSONValue) {
        let name = json["Names"]?.array?.first?.string ?? ""
        self.init(
            id: json["Id"]?.string ?? "",
            name: String(name.drop { $0 == "/" }),
            image: json["Image"]?.string ?? "",
            imageID: json["ImageID"]?.string ?? "",
            labels: json["Labels"]?.stringMap ?? [:],
            state: json["State"]?.string ?? "",
            status: json["Status"]?.string ?? "",
            created: json["Created"]?.int ?? 0,
            ports: (json["Ports"]?.array ?? []).compactMap { port in
                guard let privatePort = port["PrivatePort"]?.int else { return nil }
                return Port(ip: port["IP"]?.string ?? "", privatePort: privatePort, publicPort: port["PublicPort"]?.int,
                            type: port["Type"]?.string ?? "tcp")
            },
            mounts: (json["Mounts"]?.array ?? []).map { mount in
                Mount(type: mount["Type"]?.string ?? "", name: mount["Name"]?.string, source: mount["Source"]?.string ?? "",
                      destination: mount["Destination"]?.string ?? "")
            },
            networkMode: json["HostConfig"]?["NetworkMode"]?.string ?? "",
            networks: (json["NetworkSettings"]?["Networks"]?.object ?? [:]).keys.sorted())
        command = json["Command"]?.string ?? ""
    }
}
