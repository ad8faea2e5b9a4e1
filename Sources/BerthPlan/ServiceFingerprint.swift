import BerthSpec
import BerthYAML

/// What a container is made from, as stored on it: the service's canonical configuration (compact JSON, keys sorted)
/// and its SHA-256, the `com.docker.compose.config-hash` label. A different hash means the container must be recreated.
public struct ServiceFingerprint: Sendable, Hashable {
    /// The label that keeps the canonical configuration, so that a plan can say which fields changed.
    public static let configLabel = "dev.berth.config"

    public var canonical: String
    public var hash: String

    /// Fields that never make a container differ, as in Compose's `ServiceHash`: how the image is made or pulled,
    /// how many replicas run, which profiles enable the service, and what it waits for.
    static let ignoredFields: Set<String> = ["build", "pull_policy", "deploy", "depends_on", "profiles"]

    public init(_ service: Service) {
        var rendered = ConfigRenderer.service(service)
        rendered.content = .mapping((rendered.mapping ?? []).filter { !Self.ignoredFields.contains($0.key.scalarText ?? "") })
        canonical = JSONWriter.write(rendered, pretty: false)
        hash = SHA256.hex(canonical)
    }

    /// The top-level fields whose values differ between two canonical configurations.
    public static func changedFields(from old: String, to new: String) -> [String] {
        let before = YAMLComposer.compose(old).documents.first?.mapping ?? []
        let after = YAMLComposer.compose(new).documents.first?.mapping ?? []
        var fields = Set<String>()
        for pair in after {
            let key = pair.key.scalarText ?? ""
            let previous = before.first { $0.key.scalarText == key }
            if previous.map({ !ComposeMerger.sameContent($0.value, pair.value) }) ?? true { fields.insert(key) }
        }
        for pair in before where !after.contains(where: { $0.key.scalarText == pair.key.scalarText }) {
            fields.insert(pair.key.scalarText ?? "")
        }
        return fields.sorted()
    }
}
