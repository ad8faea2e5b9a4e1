import BerthRuntime
import Foundation

/// On a terminal, progress is a block of lines, one per network, volume, image or container, each showing its latest
/// state and redrawn in place; elsewhere it is plain lines.
final class TerminalProgress: @unchecked Sendable {
    // `order`, `states` and `drawn` are guarded by `lock`.
    private var order: [String] = []
    private var states: [String: String] = [:]
    private var drawn = 0
    private let lock = NSLock()

    /// The reporter for a command: redrawn lines on a terminal, plain lines otherwise.
    static func reporter() -> ProgressReporter {
        guard isatty(STDERR_FILENO) == 1, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return .standardError }
        let progress = TerminalProgress()
        return ProgressReporter { progress.update($0) }
    }

    func update(_ line: String) {
        // "Container demo-web-1  Started": the resource, two spaces, its state.
        guard let split = line.range(of: "  ") else {
            // A message of its own goes below the block, and the block starts again under it.
            lock.withLock { drawn = 0; order = []; states = [:] }
            write(line + "\n")
            return
        }
        let resource = String(line[..<split.lowerBound])
        let state = line[split.upperBound...].trimmingCharacters(in: .whitespaces)
        let screen: String = lock.withLock {
            if states[resource] == nil { order.append(resource) }
            states[resource] = state
            let width = order.map(\.count).max() ?? 0
            var text = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
            for key in order {
                let value = states[key] ?? ""
                let mark = value.hasPrefix("Started") || value.hasPrefix("Created") || value.hasPrefix("Removed") || value.hasPrefix("Built")
                    || value.hasPrefix("Running") || value.hasPrefix("Stopped") ? "\u{1B}[32m✔\u{1B}[0m" : "\u{1B}[33m⠿\u{1B}[0m"
                text += "\u{1B}[2K \(mark) \(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(value)\n"
            }
            drawn = order.count
            return text
        }
        write(screen)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
