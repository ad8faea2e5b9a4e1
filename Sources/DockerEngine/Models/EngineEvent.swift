/// One message of `GET /events`.
public struct EngineEvent: Sendable, Hashable {
    /// `container`, `network`, `image`, ...
    public var type: String
    /// `start`, `die`, `health_status: healthy`, ...
    public var action: String
    public var actorID: String
    public var attributes: [String: String]
    /// Nanoseconds since the epoch.
    public var timeNano: Int

    init(json: JSONValue) {
        type = json["Type"]?.string ?? ""
        action = json["Action"]?.string ?? ""
        actorID = json["Actor"]?["ID"]?.string ?? ""
        attributes = json["Actor"]?["Attributes"]?.stringMap ?? [:]
        timeNano = json["timeNano"]?.int ?? 0
    }
}
