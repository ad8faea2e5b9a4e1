/// What the planner knows about the host: sockets bound by processes, the ephemeral port range and the routes, read
/// by the runtime before planning.
public struct HostSnapshot: Sendable {
    /// Nil when the host was not scanned (`--no-host-scan`).
    public var sockets: [HostSocket]?
    public var ephemeralRange: ClosedRange<Int>?
    /// Route destinations (CIDR) that a project subnet must not overlap.
    public var routes: [String]

    public init(sockets: [HostSocket]? = nil, ephemeralRange: ClosedRange<Int>? = nil, routes: [String] = []) {
        self.sockets = sockets
        self.ephemeralRange = ephemeralRange
        self.routes = routes
    }

    /// Nothing known about the host: no sockets scanned, no routes.
    public static let unknown = HostSnapshot()
}
