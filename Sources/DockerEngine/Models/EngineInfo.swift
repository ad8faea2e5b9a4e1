/// The part of `GET /info` that Berth reads.
public struct EngineInfo: Sendable, Hashable {
    /// The engine's ID, stable across restarts (locks are per engine).
    public var id: String
    public var name: String
    public var osType: String
    public var serverVersion: String

    init(json: JSONValue) {
        id = json["ID"]?.string ?? ""
        name = json["Name"]?.string ?? ""
        osType = json["OSType"]?.string ?? "linux"
        serverVersion = json["ServerVersion"]?.string ?? ""
    }
}
