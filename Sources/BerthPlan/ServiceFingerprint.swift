import BerthHashing
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
    /// how many replicas run (`scale`, `deploy.replicas`), which profiles enable the service, and what it waits for.
    /// The rest of `deploy` (its reserved devices; its resource limits render as their top-level twins) counts.
    ///
    /// The normalisation: the canonical form is `berth config`'s rendering of the one service (every applied key,
    /// defaults left out, so a key that is not written never changes the hash), without these fields, with the
    /// contents of injected secrets and configs added; per-replica fields (name, number, the hash label), Berth's
    /// version label and resolved container ids are not part of it, since they are not in the rendering.
    static let ignoredFields: Set<String> = ["build", "pull_policy", "depends_on", "profiles", "scale"]

    /// `project` gives the contents of the service's secrets and configs: a change to one of them changes the hash
    /// (under the extra field `secret-and-config-contents`, present only when the service uses any, so that other services
    /// keep the hash they had).
    public init(_ service: Service, project: ComposeProject? = nil) {
        var rendered = ConfigRenderer.service(service)
        var pairs = (rendered.mapping ?? []).filter { !Self.ignoredFields.contains($0.key.scalarText ?? "") }
        if let index = pairs.firstIndex(where: { $0.key.scalarText == "deploy" }) {
            let kept = (pairs[index].value.mapping ?? []).filter { $0.key.scalarText != "replicas" }
            if kept.isEmpty { pairs.remove(at: index) } else { pairs[index].value.content = .mapping(kept) }
        }
        if let project {
            let contents = FileMount.mounts(of: service, in: project).map { "\($0.kind.rawValue):\($0.name):\($0.target):\($0.digest ?? "")" }
            if !contents.isEmpty {
                pairs.append(YAMLPair(key: .string("secret-and-config-contents"), value: .list(contents.map { .string($0) })))
                pairs.sort { ($0.key.scalarText ?? "") < ($1.key.scalarText ?? "") }
            }
        }
        rendered.content = .mapping(pairs)
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
