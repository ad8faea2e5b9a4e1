/// The part of `GET /images/{name}/json` that Berth reads.
public struct ImageDetails: Sendable, Hashable {
    /// `sha256:...`
    public var id: String
    public var repoTags: [String]
    /// `"80/tcp"` keys of `Config.ExposedPorts`, sorted.
    public var exposedPorts: [String]
    /// The mount points the image declares (`VOLUME`), sorted.
    public var volumes: [String]

    public init(id: String, repoTags: [String] = [], exposedPorts: [String] = [], volumes: [String] = []) {
        self.id = id
        self.repoTags = repoTags
        self.exposedPorts = exposedPorts
        self.volumes = volumes
    }

    init(json: JSONValue) {
        self.init(id: json["Id"]?.string ?? "", repoTags: (json["RepoTags"]?.array ?? []).compactMap(\.string),
                  exposedPorts: (json["Config"]?["ExposedPorts"]?.object ?? [:]).keys.sorted(),
                  volumes: (json["Config"]?["Volumes"]?.object ?? [:]).keys.sorted())
    }
}
