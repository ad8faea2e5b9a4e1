import BerthDiagnostics
import BerthGraph
import BerthSpec

/// Finds what would break before anything is launched: host-port conflicts, network-mode misuse, subnet and address
/// problems, name clashes, and clashes with the host and the engine.
public struct PreflightChecker: Sendable {
    public struct Options: Sendable {
        public var hostSockets: [HostSocket]?
        public var ephemeralRange: ClosedRange<Int>?
        public var engine: EngineSnapshot
        /// Host routes (`ip route` destinations) that a project subnet must not overlap.
        public var hostRoutes: [String]
        /// Which host paths exist (see `HostSnapshot.paths`).
        public var hostPaths: [String: Bool]
        /// The local engine's process (see `HostSnapshot.engineProcess`).
        public var engineProcess: EngineProcess?
        /// See `HostSnapshot.realtimeBudget`.
        public var realtimeBudget: Int64?
        /// Bind sources' mounts and their propagation (see `HostSnapshot.mountPropagation`).
        public var mountPropagation: [String: (mountPoint: String, propagation: String)] = [:]

        public init(hostSockets: [HostSocket]? = nil, ephemeralRange: ClosedRange<Int>? = nil, engine: EngineSnapshot = .unreachable,
                    hostRoutes: [String] = [], hostPaths: [String: Bool] = [:], engineProcess: EngineProcess? = nil) {
            self.engineProcess = engineProcess
            self.hostSockets = hostSockets
            self.ephemeralRange = ephemeralRange
            self.engine = engine
            self.hostRoutes = hostRoutes
            self.hostPaths = hostPaths
        }
    }

    public struct Report: Sendable {
        public var claims: [PortClaim]
        public var diagnostics: [Diagnostic]
    }

    public let project: ComposeProject
    public let options: Options
    private let fileRank: [String: Int]

    public init(project: ComposeProject, options: Options) {
        self.project = project
        self.options = options
        self.fileRank = Dictionary(uniqueKeysWithValues: project.files.enumerated().map { ($1, $0) })
    }

    /// Orders locations by file order, then line and column.
    func isLater(_ a: SourceLocation, than b: SourceLocation) -> Bool {
        let ra = fileRank[a.file] ?? Int.max, rb = fileRank[b.file] ?? Int.max
        if ra != rb { return ra > rb }
        return (a.line, a.column) > (b.line, b.column)
    }

    public func run() -> Report {
        var diagnostics: [Diagnostic] = []
        let (claims, claimDiagnostics) = collectClaims()
        diagnostics += claimDiagnostics
        diagnostics += portConflicts(claims)
        diagnostics += namespacePortConflicts()
        diagnostics += networkModeChecks()
        diagnostics += networkChecks()
        diagnostics += nameChecks()
        diagnostics += safetyChecks(claims)
        diagnostics += hostChecks(claims)
        diagnostics += engineChecks(claims)
        diagnostics += optionChecks()
        diagnostics += lints()
        diagnostics.sort { a, b in
            guard let la = a.location, let lb = b.location else { return a.location != nil }
            return isLater(lb, than: la)
        }
        return Report(claims: claims, diagnostics: diagnostics)
    }
}

extension PreflightChecker.Options {
    /// Everything the host snapshot knows, with the engine's.
    public init(host: HostSnapshot, engine: EngineSnapshot) {
        self.init(hostSockets: host.sockets, ephemeralRange: host.ephemeralRange, engine: engine, hostRoutes: host.routes,
                  hostPaths: host.paths, engineProcess: host.engineProcess)
        mountPropagation = host.mountPropagation
        realtimeBudget = host.realtimeBudget
    }
}
