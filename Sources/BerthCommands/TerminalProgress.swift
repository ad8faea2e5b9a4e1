import BerthRuntime
import Foundation

/// On a terminal, progress is a block of lines, one per network, volume, image or container, each showing its latest
/// state and redrawn in place.
final class TerminalProgress: @unchecked Sendable {
    // `order`, `states` and `drawn` are guarded by `lock`.
    private var order: [String] = []
    private var states: [String: (state: ProgressEvent.State, detail: String?)] = [:]
    private var drawn = 0
    private let lock = NSLock()

    func reporter() -> ProgressReporter {
        ProgressReporter { self.update($0) }
    }

    func update(_ event: ProgressEvent) {
        guard case .resource(let resource, let name, let state, let detail) = event.kind else {
            // A message of its own goes below the block, and the block starts again under it.
            lock.withLock {
                drawn = 0
                order = []
                states = [:]
                write(ProgressText.line(event) + "\n")
            }
            return
        }
        let key = "\(resource.rawValue) \(name)"
        // Drawn under the lock: two events drawn out of order would move the cursor by the wrong count.
        lock.withLock {
            if states[key] == nil { order.append(key) }
            states[key] = (state, detail)
            let width = order.map(\.count).max() ?? 0
            var text = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
            for key in order {
                guard let entry = states[key] else { continue }
                let mark = entry.state.isDone ? "\u{1B}[32m✔\u{1B}[0m" : entry.state == .failed ? "\u{1B}[31m✘\u{1B}[0m" : "\u{1B}[33m⠿\u{1B}[0m"
                let detail = entry.detail.map { " \($0.prefix(60))" } ?? ""
                text += "\u{1B}[2K \(mark) \(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(entry.state.rawValue)\(detail)\n"
            }
            drawn = order.count
            write(text)
        }
    }

    private func write(_ text: String) {
        Console.error(text)
    }
}
