/// One event of a pull or push stream: a layer's status (`Downloading`, `Pull complete`, `Pushed`, ...) with its
/// byte counts, or a line about the whole image (`id` nil), such as `Digest: sha256:...` or `Status: Downloaded ...`.
public struct ImageProgress: Sendable, Hashable {
    public var id: String?
    public var status: String
    public var current: Int?
    public var total: Int?
    /// A push's resulting digest (`aux.Digest`).
    public var digest: String?

    public init(id: String?, status: String, current: Int?, total: Int?, digest: String? = nil) {
        self.id = id
        self.status = status
        self.current = current
        self.total = total
        self.digest = digest
    }

    /// `Downloading 1.2 MB/2.3 MB` or the status alone.
    public var text: String {
        guard let current, let total, total > 0 else { return status }
        func size(_ bytes: Int) -> String {
            bytes >= 1_000_000 ? "\((Double(bytes) / 1_000_000 * 10).rounded() / 10) MB" : bytes >= 1000 ? "\(bytes / 1000) kB" : "\(bytes) B"
        }
        return "\(status) \(size(current))/\(size(total))"
    }
}
