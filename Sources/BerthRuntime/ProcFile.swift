import Foundation

/// Reads a file under `/proc` whole. Such files report a size of 0 and are generated page by page, and Foundation's
/// `String(contentsOfFile:)` stopped after the first page: `/proc/net/tcp` lost every socket after about 26.
enum ProcFile {
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return count == 0 ? String(decoding: bytes, as: UTF8.self) : nil }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }
}
