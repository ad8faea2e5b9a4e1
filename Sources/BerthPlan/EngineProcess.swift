/// What the local engine's own process may do, read from /proc when the engine runs on this host. Verified here: a
/// daemon without CAP_SYS_RESOURCE cannot give a container a resource limit above its own hard limit ("error setting
/// rlimit type 7: operation not permitted" for `nofile` 30000 over 20000), nor an `oom_score_adj` below its own (-1
/// fails, 0 starts).
public struct EngineProcess: Sendable, Hashable {
    /// Hard limits by ulimit name (`nofile`, `nproc`, ...); nil for unlimited.
    public var hardLimits: [String: Int64?]
    public var oomScoreAdj: Int
    /// Whether it holds CAP_SYS_RESOURCE, which lifts both restrictions.
    public var canRaiseLimits: Bool

    public init(hardLimits: [String: Int64?], oomScoreAdj: Int, canRaiseLimits: Bool) {
        self.hardLimits = hardLimits
        self.oomScoreAdj = oomScoreAdj
        self.canRaiseLimits = canRaiseLimits
    }

    /// `/proc/PID/limits` row names by ulimit name.
    public static let limitRows: [String: String] = [
        "core": "Max core file size", "cpu": "Max cpu time", "data": "Max data size", "fsize": "Max file size",
        "locks": "Max file locks", "memlock": "Max locked memory", "msgqueue": "Max msgqueue size", "nice": "Max nice priority",
        "nofile": "Max open files", "nproc": "Max processes", "rss": "Max resident set", "rtprio": "Max realtime priority",
        "rttime": "Max realtime timeout", "sigpending": "Max pending signals", "stack": "Max stack size", "as": "Max address space",
    ]
}
