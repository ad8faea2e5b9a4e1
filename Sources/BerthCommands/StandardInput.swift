import DockerEngine
import Foundation

/// Berth's own stdin as a stream's input: a pipe, a file or a terminal. Each chunk is read on a queue of its own,
/// blocking there rather than on the cooperative pool, and only when the stream has written the chunk before it.
struct StandardInput: StreamInput {
    private static let queue = DispatchQueue(label: "berth.stdin")

    func next() async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            Self.queue.async {
                var buffer = [UInt8](repeating: 0, count: 65536)
                var count: Int
                repeat { count = read(STDIN_FILENO, &buffer, buffer.count) } while count < 0 && errno == EINTR
                continuation.resume(returning: count > 0 ? Array(buffer[..<count]) : nil)
            }
        }
    }
}
