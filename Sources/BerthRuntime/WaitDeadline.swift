import BerthDiagnostics

/// `--wait-timeout`: a wait (for containers to run and be healthy) that gives up after `seconds`, as
/// `application not healthy after Ns`. Without a time-out, the wait alone decides.
enum WaitDeadline {
    static func run(seconds: Int?, _ wait: @escaping @Sendable () async -> Diagnostic?) async -> Diagnostic? {
        await withTaskGroup(of: Diagnostic??.self) { group -> Diagnostic? in
            group.addTask { .some(await wait()) }
            if let seconds, seconds > 0 {
                group.addTask {
                    do { try await Task.sleep(for: .seconds(seconds)) } catch { return nil }
                    return .some(.error("service-unhealthy", "application not healthy after \(seconds)s (--wait-timeout)", at: nil))
                }
            }
            var outcome: Diagnostic?
            while let next = await group.next() {
                if let decided = next {
                    outcome = decided
                    break
                }
            }
            group.cancelAll()
            return outcome
        }
    }
}
