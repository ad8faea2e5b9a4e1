import Foundation

/// Where `../shared/corpus` is, relative to the package root, or nil when it is absent (tests then skip and say so).
public enum Corpus {
    public static let root: URL? = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let corpus = url.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        return FileManager.default.fileExists(atPath: corpus.path) ? corpus : nil
    }()

    public static func skipMessage(_ what: String) -> String {
        "SKIPPED: \(what): ../shared/corpus is absent"
    }
}
