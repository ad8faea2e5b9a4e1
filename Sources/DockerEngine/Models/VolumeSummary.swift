/// One entry of `GET /volumes`.
public struct VolumeSummary: Sendable, Hashable {
    public var name: String
    public var driver: String
    public var labels: [String: String]
    public var options: [String: String]

    public init(name: String, driver: String = "local", labels: [String: String] = [:], options: [String: String] = [:]) {
        self.name = name
        self.driver = driver
        self.labels = labels
        self.options = options
    }

    init(json: JSONValue) {
        self.init(name: json["Name"]?.string ?? "", driver: json["Driver"]?.string ?? "", labels: json["Labels"]?.stringMap ?? [:],
                  options: json["Options"]?.stringMap ?? [:])
    }
}
