import Foundation

/// Source text by file path, so that a diagnostic can quote the offending line.
public final class SourceCache: @unchecked Sendable {
    // Guarded by `lock`; files are registered by the loader and read by the renderer.
    private var lines: [String: [Substring]] = [:]
    private let lock = NSLock()

    public init() {}

    public func register(path: String, text: String) {
        let split = text.split(separator: "\n", omittingEmptySubsequences: false)
        lock.withLock { lines[path] = split }
    }

    public func line(_ number: Int, in path: String) -> String? {
        let cached = lock.withLock { lines[path] }
        let fileLines: [Substring]
        if let cached {
            fileLines = cached
        } else if let data = FileManager.default.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self)
            register(path: path, text: text)
            fileLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        } else {
            return nil
        }
        guard number >= 1, number <= fileLines.count else { return nil }
        var line = String(fileLines[number - 1])
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }
}
