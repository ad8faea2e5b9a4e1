import BerthPlan

/// Reads what the planner needs from the host: listening sockets (unless the scan is off), the ephemeral port range
/// and the routes.
public enum HostSnapshotReader {
    public static func read(scanSockets: Bool, procRoot: String = "/proc") -> HostSnapshot {
        let scanner = HostPortScanner(procRoot: procRoot)
        return HostSnapshot(sockets: scanSockets ? scanner.listeningSockets() : nil, ephemeralRange: scanner.ephemeralRange(),
                            routes: HostRoutes.read(procRoot: procRoot))
    }
}
