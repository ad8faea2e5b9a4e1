import ArgumentParser
import BerthRuntime
import Foundation

/// How progress events are shown (`--progress`): redrawn on a terminal, plain lines, JSON lines, or not at all.
enum ProgressStyle: String, ExpressibleByArgument, CaseIterable {
    case auto, tty, plain, json, quiet
    /// Compose's other name for quiet.
    case none

    func reporter() -> ProgressReporter {
        switch self {
        case .quiet, .none: return .silent
        case .json: return ProgressReporter { Console.error(ProgressText.json($0) + "\n") }
        case .plain: return PlainProgress().reporter()
        case .tty: return TerminalProgress().reporter()
        case .auto:
            let terminal = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
            return (terminal ? ProgressStyle.tty : .plain).reporter()
        }
    }
}
