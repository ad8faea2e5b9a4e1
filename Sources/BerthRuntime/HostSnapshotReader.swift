import BerthPlan
import BerthSpec
import Foundation

/// Reads what the planner needs from the host: listening sockets (unless the scan is off), the ephemeral port range
/// and the routes. The processes holding sockets are looked up only for the ports the project could claim. When the
/// engine is not on this host, this host's `/proc` says nothing about it, and nothing is read.
public enum HostSnapshotReader {
    public static func read(scanSockets: Bool, project: ComposeProject, engineIsLocal: Bool = true, procRoot: String = "/proc") -> HostSnapshot {
        guard engineIsLocal else { return HostSnapshot() }
        let scanner = HostPortScanner(procRoot: procRoot)
        var ranges: [ClosedRange<Int>] = []
        for service in project.services {
            for port in service.ports {
                ranges.append(port.published.map { $0.lower...$0.upper } ?? port.target...port.target)
            }
            for exposed in service.expose { ranges.append(exposed.ports.lower...exposed.ports.upper) }
        }
        // A host-network service also claims what its image exposes, which only the engine knows: any port may matter.
        let anyPort = project.services.contains { service in
            switch service.networkMode {
            case .host?, .service?: true
            default: false
            }
        }
        let sockets = scanSockets ? scanner.listeningSockets(ownersFor: anyPort ? nil : { port in ranges.contains { $0.contains(port) } }) : nil
        var paths: [String: Bool] = [:]
        for path in HostSnapshot.pathsToCheck(project) { paths[path] = FileManager.default.fileExists(atPath: path) }
        return HostSnapshot(sockets: sockets, ephemeralRange: scanner.ephemeralRange(), routes: HostRoutes.read(procRoot: procRoot), paths: paths)
    }
}
