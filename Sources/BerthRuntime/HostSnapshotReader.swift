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
        return HostSnapshot(sockets: sockets, ephemeralRange: scanner.ephemeralRange(), routes: HostRoutes.read(procRoot: procRoot), paths: paths,
                            engineProcess: engineProcess(procRoot: procRoot))
    }

    /// The engine's process, from its pid file (`/var/run/docker.pid`, the daemon's default): hard limits, its
    /// `oom_score_adj`, and whether CAP_SYS_RESOURCE (bit 24) is in its effective set.
    static func engineProcess(procRoot: String, pidFile: String = "/var/run/docker.pid") -> EngineProcess? {
        guard let pid = ProcFile.read(pidFile).flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
              let limits = ProcFile.read("\(procRoot)/\(pid)/limits"), let status = ProcFile.read("\(procRoot)/\(pid)/status") else { return nil }
        var hard: [String: Int64?] = [:]
        for (name, row) in EngineProcess.limitRows {
            guard let line = limits.split(separator: "\n").first(where: { $0.hasPrefix(row) }) else { continue }
            let fields = line.dropFirst(row.count).split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2 else { continue }
            hard[name] = fields[1] == "unlimited" ? .some(nil) : Int64(fields[1]).map { .some($0) } ?? .some(nil)
        }
        let capabilities = status.split(separator: "\n").first { $0.hasPrefix("CapEff:") }
            .flatMap { UInt64($0.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) } ?? 0
        let adjust = ProcFile.read("\(procRoot)/\(pid)/oom_score_adj").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        return EngineProcess(hardLimits: hard, oomScoreAdj: adjust, canRaiseLimits: capabilities & (1 << 24) != 0)
    }
}
