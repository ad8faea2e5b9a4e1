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
        // blkio throttles and weights need a block device (runc: "no such device" for anything else).
        for path in project.services.flatMap({ $0.options.blkio?.paths ?? [] }) {
            var info = stat()
            paths[path] = stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFBLK
        }
        var snapshot = HostSnapshot(sockets: sockets, ephemeralRange: scanner.ephemeralRange(), routes: HostRoutes.read(procRoot: procRoot), paths: paths,
                                    engineProcess: engineProcess(procRoot: procRoot))
        if project.services.contains(where: { ($0.options.cpuRealtimeRuntime ?? 0) > 0 }) {
            snapshot.realtimeBudget = FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") ? 0
                : ProcFile.read("/sys/fs/cgroup/cpu/docker/cpu.rt_runtime_us").flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let sources = project.services.flatMap { $0.volumes.filter { $0.type == .bind && $0.propagation != nil }.compactMap(\.source) }
        if !sources.isEmpty { snapshot.mountPropagation = mountPropagation(of: sources, procRoot: procRoot) }
        return snapshot
    }

    /// The daemon's default pid file, which says which process the local engine is.
    static let enginePidFile = "/var/run/docker.pid"

    static func enginePid(_ pidFile: String) -> Int? {
        ProcFile.read(pidFile).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The mount each path lives on (the longest mount point above it) and its propagation, from the engine's
    /// `mountinfo` (its own mount namespace), or this process's when the engine's pid is unknown. Verified here: a
    /// `rslave` bind of a folder on a private `/` fails at start ("is mounted on / but it is not a shared or slave
    /// mount").
    static func mountPropagation(of paths: [String], procRoot: String, pidFile: String = enginePidFile) -> [String: (mountPoint: String, propagation: String)] {
        let pid = enginePid(pidFile).map(String.init) ?? "self"
        guard let text = ProcFile.read("\(procRoot)/\(pid)/mountinfo") ?? ProcFile.read("\(procRoot)/self/mountinfo") else { return [:] }
        var mounts: [(point: String, propagation: String)] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 6, let dash = fields.firstIndex(of: "-") else { continue }
            let optional = fields[6..<dash]
            let propagation = optional.contains { $0.hasPrefix("shared:") } ? "shared" : optional.contains { $0.hasPrefix("master:") } ? "slave" : "private"
            mounts.append((String(fields[4]).replacingOccurrences(of: "\\040", with: " "), propagation))
        }
        var result: [String: (mountPoint: String, propagation: String)] = [:]
        for path in paths {
            // The last mount listed at the longest matching point is the one on top.
            let above = mounts.filter { path == $0.point || path.hasPrefix($0.point == "/" ? "/" : $0.point + "/") }
            guard let longest = above.map(\.point.count).max(), let mount = above.last(where: { $0.point.count == longest }) else { continue }
            result[path] = (mount.point, mount.propagation)
        }
        return result
    }

    /// The engine's process, from its pid file (`/var/run/docker.pid`, the daemon's default): hard limits, its
    /// `oom_score_adj`, and whether CAP_SYS_RESOURCE (bit 24) is in its effective set.
    static func engineProcess(procRoot: String, pidFile: String = enginePidFile) -> EngineProcess? {
        guard let pid = enginePid(pidFile),
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
