import Foundation

/// Berth's standard output and error, written whole with write(2). A reader that goes away (`berth logs | head`) ends
/// Berth quietly instead of trapping: SIGPIPE is ignored at start, and EPIPE on stdout exits.
enum Console {
    static func out(_ text: String) {
        write(STDOUT_FILENO, Array(text.utf8))
    }

    /// Said once another run holds the project's lock and this one waits for it.
    static func lockWait(_ project: String) {
        error("berth: another berth command is changing project '\(project)'; waiting for it to finish\n")
    }

    static func error(_ text: String) {
        write(STDERR_FILENO, Array(text.utf8))
    }

    static func write(_ descriptor: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written < 0 && errno == EPIPE && descriptor == STDOUT_FILENO { Foundation.exit(0) }
            if written <= 0 { return }
            offset += written
        }
    }
}
