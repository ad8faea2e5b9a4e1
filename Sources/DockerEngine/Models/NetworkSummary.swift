/// One entry of `GET /networks` (or the answer of `GET /networks/{id}`).
public struct NetworkSummary: Sendable, Hashable {
    public var id: String
    public var name: String
    public var driver: String
    public var labels: [String: String]
    /// The IPAM subnets in CIDR notation.
    public var subnets: [String]
    /// IDs of attached containers (filled by `GET /networks/{id}` only).
    public var containers: [String]

    public init(id: String, name: String, driver: String = "bridge", labels: [String: String] = [:], subnets: [String] = [], containers: [String] = []) {
        self.id = id
        self.name = name
        self.driver = driver
        self.labels = labels
        self.subnets = subnets
        self.containers = containers
    }

    init(json: JSONValue) {
        self.init(id: json["Id"]?.string ?? "", name: json["Name"]?.string ?? "", driver: json["Driver"]?.string ?? "",
                  labels: json["Labels"]?.stringMap ?? [:],
                  subnets: (json["IPAM"]?["Config"]?.array ?? []).compactMap { $0["Subnet"]?.string },
                  containers: (json["Containers"]?.object ?? [:]).keys.sorted())
    }
}
