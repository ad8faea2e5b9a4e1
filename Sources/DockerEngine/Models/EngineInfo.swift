/// The part of `GET /info` that Berth reads.
public struct EngineInfo: Sendable, Hashable {
    /// The engine's ID, stable across restarts (locks are per engine).
    public var id: String
    public var name: String
    public var osType: String
    public var serverVersion: String
    /// CPUs and memory (bytes) of the engine's host, which limit `cpus` and `mem_limit`.
    public var cpus: Int
    public var memory: Int64
    /// The log drivers (`Plugins.Log`) and runtimes (`Runtimes`) it has.
    public var logDrivers: [String]
    public var runtimes: [String]
    /// The storage driver (`Driver`) and, for overlay, its backing filesystem (`DriverStatus`), as `overlay2/extfs`.
    public var storage: String

    init(json: JSONValue) {
        id = json["ID"]?.string ?? ""
        name = json["Name"]?.string ?? ""
        osType = json["OSType"]?.string ?? "linux"
        serverVersion = json["ServerVersion"]?.string ?? ""
        cpus = json["NCPU"]?.int ?? 0
        memory = Int64(json["MemTotal"]?.int ?? 0)
        logDrivers = (json["Plugins"]?["Log"]?.array ?? []).compactMap(\.string)
        runtimes = (json["Runtimes"]?.object ?? [:]).keys.sorted()
        let backing = (json["DriverStatus"]?.array ?? []).first { $0.array?.first?.string == "Backing Filesystem" }?.array?.last?.string
        storage = (json["Driver"]?.string ?? "") + (backing.map { "/\($0)" } ?? "")
    }
}
