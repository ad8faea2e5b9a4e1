import DockerEngine
import Foundation

/// Berth's terminal while a process in a container is attached to it: stdin in raw mode under a TTY (so keys such as
/// Ctrl-C go to the process), the window size passed on now and at each change, and restored at the end.
final class TerminalSession: @unchecked Sendable {
    private var saved: termios?
    private var windowChanges: DispatchSourceSignal?

    /// Puts the terminal in raw mode when `tty` and stdin is a terminal; calls `resize(rows, columns)` at each window
    /// change until `end()`.
    init(tty: Bool, resize: @escaping @Sendable (Int, Int) async -> Void) {
        guard tty, isatty(STDIN_FILENO) == 1 else { return }
        var settings = termios()
        if tcgetattr(STDIN_FILENO, &settings) == 0 {
            saved = settings
            cfmakeraw(&settings)
            tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        }
        signal(SIGWINCH, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        source.setEventHandler {
            guard let size = Self.size() else { return }
            Task { await resize(size.rows, size.columns) }
        }
        source.resume()
        windowChanges = source
    }

    /// The terminal's size (on stdout, the terminal the output goes to).
    static func size() -> (rows: Int, columns: Int)? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return (Int(size.ws_row), Int(size.ws_col))
    }

    /// Restores the terminal.
    func end() {
        windowChanges?.cancel()
        windowChanges = nil
        if var settings = saved { tcsetattr(STDIN_FILENO, TCSANOW, &settings) }
        saved = nil
    }

    /// Writes a stream's output to Berth's stdout or stderr, all of it.
    static func write(_ stream: DockerStreamDemultiplexer.Stream, _ bytes: [UInt8]) {
        Console.write(stream == .stderr ? STDERR_FILENO : STDOUT_FILENO, bytes)
    }

    /// Sizes a newly started TTY process: the engine refuses a resize until the process runs, so it is tried a few
    /// times, as the docker CLI does.
    static func sizeInitially(_ resize: @escaping @Sendable (Int, Int) async throws -> Void) {
        guard let size = size() else { return }
        Task {
            for attempt in 0..<10 {
                if (try? await resize(size.rows, size.columns)) != nil { return }
                try? await Task.sleep(for: .milliseconds(10 * (attempt + 1)))
            }
        }
    }
}
