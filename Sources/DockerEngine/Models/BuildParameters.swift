/// What the classic builder's `POST /build` takes besides the context, as query parameters (verified on this engine,
/// API 1.41: `t` and `extrahosts` repeat; `cachefrom` and `ulimits` are JSON; `shmsize` is bytes).
public struct BuildParameters: Sendable, Hashable {
    public struct Ulimit: Sendable, Hashable {
        public var name: String
        public var soft: Int64
        public var hard: Int64

        public init(name: String, soft: Int64, hard: Int64) {
            self.name = name
            self.soft = soft
            self.hard = hard
        }
    }

    /// Every tag; the first is the service's image.
    public var tags: [String]
    public var dockerfile: String?
    public var target: String?
    public var buildArgs: [String: String] = [:]
    public var labels: [String: String] = [:]
    public var noCache = false
    public var pull = false
    public var cacheFrom: [String] = []
    public var networkMode: String?
    public var shmSize: Int64?
    /// `host:ip` entries.
    public var extraHosts: [String] = []
    public var ulimits: [Ulimit] = []
    public var isolation: String?

    public init(tags: [String], dockerfile: String? = nil, target: String? = nil) {
        self.tags = tags
        self.dockerfile = dockerfile
        self.target = target
    }

    /// The query of `POST /build`.
    public var query: [(String, String)] {
        func json(_ value: JSONValue) -> String { value.text }
        var query: [(String, String)] = tags.map { ("t", $0) } + [("rm", "1")]
        if noCache { query.append(("nocache", "1")) }
        if pull { query.append(("pull", "1")) }
        if let dockerfile { query.append(("dockerfile", dockerfile)) }
        if let target { query.append(("target", target)) }
        if !buildArgs.isEmpty { query.append(("buildargs", json(.object(buildArgs.mapValues(JSONValue.string))))) }
        if !labels.isEmpty { query.append(("labels", json(.object(labels.mapValues(JSONValue.string))))) }
        if !cacheFrom.isEmpty { query.append(("cachefrom", json(.array(cacheFrom.map(JSONValue.string))))) }
        if let networkMode { query.append(("networkmode", networkMode)) }
        if let shmSize { query.append(("shmsize", String(shmSize))) }
        query += extraHosts.map { ("extrahosts", $0) }
        if !ulimits.isEmpty {
            query.append(("ulimits", json(.array(ulimits.map { .object(["Name": .string($0.name), "Soft": .number(Double($0.soft)), "Hard": .number(Double($0.hard))]) }))))
        }
        if let isolation { query.append(("isolation", isolation)) }
        return query
    }
}
