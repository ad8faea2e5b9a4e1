import Foundation

/// Source text by file path, so that a diagnostic can quote the offending line.
public final class SourceCache: @unchecked Sendable {
    // Guarded by `lock`; files are registered by the loader and read by the renderer.
    // Texts are split into lines only when a diagnostic first quotes one, so loading a valid file pays nothing.
    private var texts: [String: String] = [:]
    private var lines: [String: [Substring]] = [:]
    private let lock = NSLock()

    public init() {}

    public func register(path: String, text: String) {
        lock.withLock {
            texts[path] = text
            lines[path] = nil
        }
    }

    public func line(_ number: Int, in path: String) -> String? {
        let fileLines: [Substring]? = lock.withLock {
            if let split = lines[path] { return split }
            let text = texts[path] ?? FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            guard let text else { return nil }
            let split = text.split(separator: "\n", omittingEmptySubsequences: false)
            lines[path] = split
            return split
        }
        guard let fileLines else { return nil }
        guard number >= 1, number <= fileLines.count else { return nil }
        var line = String(fileLines[number - 1])
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }
}
