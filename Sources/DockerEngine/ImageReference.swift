/// An image reference split as the engine's API wants it: `name[:tag][@digest]`. A digest wins over a tag, and the
/// API takes either in its `tag` parameter (docker/cli sends a digest there).
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var tag: String?
    public var digest: String?

    public init(_ reference: String) {
        var rest = Substring(reference)
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        // A colon after the last slash starts the tag; one before it belongs to a registry's port.
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        name = String(rest)
    }

    /// What the API's `tag` parameter carries: the digest, the tag, or `latest`.
    public var apiTag: String { digest ?? tag ?? "latest" }

    public var description: String {
        name + (tag.map { ":\($0)" } ?? "") + (digest.map { "@\($0)" } ?? "")
    }
}
