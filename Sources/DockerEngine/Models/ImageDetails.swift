/// The part of `GET /images/{name}/json` that Berth reads.
public struct ImageDetails: Sendable, Hashable {
    /// `sha256:...`
    public var id: String
    public var repoTags: [String]
    /// `"80/tcp"` keys of `Config.ExposedPorts`, sorted.
    public var exposedPorts: [String]
    /// The mount points the image declares (`VOLUME`), sorted.
    public var volumes: [String]
    /// `name@sha256:...` for each registry the image came from or went to.
    public var repoDigests: [String]
    /// `Metadata.LastTagTime`, in seconds since 1970: when the engine last tagged it (a pull or a tag); nil when never.
    public var lastTagTime: Double?
    /// Whether `Config.Healthcheck` defines a test (not `NONE`).
    public var hasHealthcheck = false
    /// Bytes on disk.
    public var size: Int64 = 0
    /// When it was built, as the engine writes it (RFC 3339).
    public var created = ""
    /// `linux/amd64`.
    public var platform = ""

    public init(id: String, repoTags: [String] = [], exposedPorts: [String] = [], volumes: [String] = [], repoDigests: [String] = [],
                lastTagTime: Double? = nil) {
        self.id = id
        self.repoTags = repoTags
        self.exposedPorts = exposedPorts
        self.volumes = volumes
        self.repoDigests = repoDigests
        self.lastTagTime = lastTagTime
    }

    init(json: JSONValue) {
        self.init(id: json["Id"]?.string ?? "", repoTags: (json["RepoTags"]?.array ?? []).compactMap(\.string),
                  exposedPorts: (json["Config"]?["ExposedPorts"]?.object ?? [:]).keys.sorted(),
                  volumes: (json["Config"]?["Volumes"]?.object ?? [:]).keys.sorted(),
                  repoDigests: (json["RepoDigests"]?.array ?? []).compactMap(\.string),
                  lastTagTime: json["Metadata"]?["LastTagTime"]?.string.flatMap(Self.seconds))
        let test = (json["Config"]?["Healthcheck"]?["Test"]?.array ?? []).compactMap(\.string)
        hasHealthcheck = !test.isEmpty && test.first != "NONE"
        size = Int64(json["Size"]?.int ?? 0)
        created = json["Created"]?.string ?? ""
        platform = [json["Os"]?.string, json["Architecture"]?.string].compactMap { $0 }.joined(separator: "/")
    }

    /// Seconds since 1970 of an RFC 3339 time in UTC (`2026-11-25T10:00:00.123456789Z`); Go's zero time is nil.
    public static func seconds(_ text: String) -> Double? {
        let digits = text.unicodeScalars.map { $0 }
        guard digits.count >= 20, text.hasSuffix("Z") else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? { Int(String(String.UnicodeScalarView(digits[from..<(from + count)]))) }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
              let minute = number(14, 2), let second = number(17, 2), year > 1 else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        var fraction = 0.0
        if digits.count > 20, digits[19] == ".", let value = Double("0" + String(String.UnicodeScalarView(digits[19..<(digits.count - 1)]))) { fraction = value }
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction
    }
}
