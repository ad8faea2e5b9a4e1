import BerthRuntime
import Foundation

/// Progress as plain lines, for logs and pipes: one line each time a resource changes state. A layer's byte counts
/// change many times within one state; only its first line of each state is printed.
final class PlainProgress: @unchecked Sendable {
    // Guarded by `lock`.
    private var states: [String: ProgressEvent.State] = [:]
    private let lock = NSLock()

    func reporter() -> ProgressReporter {
        ProgressReporter { event in
            if case .resource(.layer, let name, let state, _) = event.kind {
                let repeated = self.lock.withLock {
                    defer { self.states[name] = state }
                    return self.states[name] == state
                }
                if repeated { return }
            }
            Console.error(ProgressText.line(event) + "\n")
        }
    }
}
