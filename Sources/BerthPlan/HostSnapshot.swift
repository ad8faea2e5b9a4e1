import BerthSpec
import Foundation

/// What the planner knows about the host: sockets bound by processes, the ephemeral port range and the routes, read
/// by the runtime before planning.
public struct HostSnapshot: Sendable {
    /// Nil when the host was not scanned (`--no-host-scan`).
    public var sockets: [HostSocket]?
    public var ephemeralRange: ClosedRange<Int>?
    /// Route destinations (CIDR) that a project subnet must not overlap.
    public var routes: [String]
    /// Whether each host path the project depends on exists (device sources, bind sources that must not be created,
    /// the syslog and journald sockets); empty when the engine is not on this host.
    public var paths: [String: Bool]
    /// The local engine's process (its limits and capabilities); nil when the engine is not on this host.
    public var engineProcess: EngineProcess?
    /// For each bind source with a propagation: the mount it lives on and that mount's propagation (`shared`,
    /// `slave` or `private`), as the engine's mount namespace sees it; empty when the engine is not on this host.
    public var mountPropagation: [String: (mountPoint: String, propagation: String)] = [:]

    public init(sockets: [HostSocket]? = nil, ephemeralRange: ClosedRange<Int>? = nil, routes: [String] = [], paths: [String: Bool] = [:],
                engineProcess: EngineProcess? = nil) {
        self.engineProcess = engineProcess
        self.sockets = sockets
        self.ephemeralRange = ephemeralRange
        self.routes = routes
        self.paths = paths
    }

    /// The host paths a project depends on, which the runtime looks up for `paths`.
    public static func pathsToCheck(_ project: ComposeProject) -> Set<String> {
        var paths = Set<String>()
        for service in project.services {
            for device in service.devices { paths.insert(String(device.split(separator: ":").first ?? "")) }
            for path in service.options.blkio?.paths ?? [] { paths.insert(path) }
            // The engine has a GPU driver only when the NVIDIA hook is installed (moby daemon/nvidia_linux.go).
            if service.options.deviceRequests.contains(where: \.needsGPUDriver) { paths.formUnion(nvidiaHookPaths) }
            for volume in service.volumes where volume.type == .bind && volume.requiresMountAPI { if let source = volume.source { paths.insert(source) } }
            switch service.options.logging?.driver {
            case "syslog"?: paths.insert(syslogSocket)
            case "journald"?: paths.insert(journaldSocket)
            default: break
            }
        }
        for volume in project.volumes where bindBacked(volume) {
            if let device = volume.driverOptions.first(where: { $0.key == "device" })?.value, device.hasPrefix("/") { paths.insert(device) }
        }
        return paths
    }

    /// A local volume that binds a host folder (`driver_opts: {type: none, o: bind, device: /path}`).
    public static func bindBacked(_ volume: VolumeDefinition) -> Bool {
        guard !volume.external, volume.driver == nil || volume.driver == "local" else { return false }
        let options = volume.driverOptions.first { $0.key == "o" }?.value ?? ""
        return options.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "bind" || $0 == "rbind" }
    }

    public static let nvidiaHook = "nvidia-container-runtime-hook"
    public static let nvidiaHookDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
    public static let nvidiaHookPaths = nvidiaHookDirectories.map { $0 + "/" + nvidiaHook }
    /// The real-time CPU budget (microseconds) of the engine's default cgroup parent, `docker` (cgroup v1), which a
    /// container's `cpu_rt_runtime` must fit in; 0 on cgroup v2, which has no such budget. Nil when unknown.
    public var realtimeBudget: Int64?

    public static let syslogSocket = "/dev/log"
    public static let journaldSocket = "/run/systemd/journal/socket"

    /// Nothing known about the host: no sockets scanned, no routes.
    public static let unknown = HostSnapshot()
}
