import Foundation

/// Where `../shared/corpus` is, relative to the package root, or nil when it is absent (tests then skip and say so).
public enum Corpus {
    public static let root: URL? = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let corpus = url.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        return FileManager.default.fileExists(atPath: corpus.path) ? corpus : nil
    }()

    /// For `.enabled(if: Corpus.available, ...)`: a test that needs the corpus is skipped, visibly, without it.
    public static var available: Bool { root != nil }

    /// The corpus, for a test enabled only when it is available.
    public static func require() throws -> URL {
        guard let root else { throw Missing() }
        return root
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "../shared/corpus is absent" }
    }
}
