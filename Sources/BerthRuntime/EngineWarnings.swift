import BerthDiagnostics
import BerthSpec
import Foundation

/// The `Warnings` of the engine's create answers, as diagnostics at the line of the key they are about: the engine
/// accepts a container but drops part of what it was asked for (a memory limit without swap accounting, a discarded
/// blkio weight), and nothing may be dropped silently.
public final class EngineWarnings: @unchecked Sendable {
    // Guarded by `lock`; creates run concurrently.
    private var collected: [Diagnostic] = []
    private let lock = NSLock()

    public init() {}

    /// Words in the engine's warning that name a key, and that key (`ContainerOptions.locations`).
    static let keys: [(words: [String], key: String)] = [
        (["swap"], "memswap_limit"), (["swappiness"], "mem_swappiness"), (["reservation"], "mem_reservation"),
        (["oomkilldisable", "oom kill"], "oom_kill_disable"), (["oom score"], "oom_score_adj"), (["pids"], "pids_limit"),
        (["cfs period", "cpu period"], "cpu_period"), (["cfs quota", "cpu quota"], "cpu_quota"), (["cpu shares"], "cpu_shares"),
        (["cpuset"], "cpuset"), (["nanocpus", "cpus"], "cpus"), (["memory"], "mem_limit"), (["ulimit"], "ulimits"),
        (["log"], "logging"), (["security"], "security_opt"), (["block i/o", "blkio", "weight"], "blkio_config"),
        (["real-time", "realtime"], "cpu_rt_runtime"),
    ]

    public func add(_ warnings: [String], service: Service) {
        guard !warnings.isEmpty else { return }
        let found = warnings.map { text -> Diagnostic in
            let lowered = text.lowercased()
            let key = Self.keys.first { entry in entry.words.contains { lowered.contains($0) } }?.key
            let location = key.flatMap { service.options.locations[$0] } ?? service.location
            return .warning("engine-warning", "service '\(service.name)': the engine accepted the container but warns: \(text.trimmingCharacters(in: .whitespacesAndNewlines))",
                            at: location, service: service.name)
        }
        lock.withLock { collected += found }
    }

    public var diagnostics: [Diagnostic] { lock.withLock { collected } }
}
