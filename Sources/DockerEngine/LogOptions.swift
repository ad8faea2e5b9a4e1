/// What `GET /containers/{id}/logs` returns: how much, from when to when, and with the engine's timestamps.
public struct LogOptions: Sendable, Hashable {
    /// Lines from the end, or `all`.
    public var tail = "all"
    public var follow = false
    /// Unix timestamps (seconds, with a fraction), as the engine takes them.
    public var since: String?
    public var until: String?
    public var timestamps = false

    public init(tail: String = "all", follow: Bool = false) {
        self.tail = tail
        self.follow = follow
    }

    var query: [(String, String)] {
        var query = [("stdout", "1"), ("stderr", "1"), ("follow", follow ? "1" : "0"), ("tail", tail), ("timestamps", timestamps ? "1" : "0")]
        if let since { query.append(("since", since)) }
        if let until { query.append(("until", until)) }
        return query
    }
}
