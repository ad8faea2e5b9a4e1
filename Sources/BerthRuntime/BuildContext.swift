import Foundation

/// A build context as the engine takes it: the directory's files in a tar archive, minus what `.dockerignore` excludes.
public enum BuildContext {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `.dockerignore` rules: patterns matched against paths relative to the context (`*` within a path part, `**`
    /// across parts, `?`), a pattern that matches a directory excludes what is below it, `!` re-includes, the last
    /// matching rule wins.
    public struct IgnoreRules: Sendable {
        var rules: [(pattern: String, exclude: Bool)] = []

        public init(_ text: String) {
            for raw in text.split(separator: "\n") {
                var line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                var exclude = true
                if line.hasPrefix("!") {
                    exclude = false
                    line.removeFirst()
                }
                while line.hasPrefix("/") { line.removeFirst() }
                if line.hasPrefix("./") { line.removeFirst(2) }
                while line.hasSuffix("/") { line.removeLast() }
                if !line.isEmpty { rules.append((line, exclude)) }
            }
        }

        public func isExcluded(_ path: String) -> Bool {
            var excluded = false
            for rule in rules where Self.matches(rule.pattern, path) { excluded = rule.exclude }
            return excluded
        }

        /// Whether the pattern matches the path or one of its parent directories.
        static func matches(_ pattern: String, _ path: String) -> Bool {
            let parts = path.split(separator: "/").map(String.init)
            for end in stride(from: parts.count, through: 1, by: -1) {
                if glob(Array(pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)), parts[..<end]) { return true }
            }
            return false
        }

        static func glob(_ pattern: [String], _ path: ArraySlice<String>) -> Bool {
            guard let first = pattern.first else { return path.isEmpty }
            if first == "**" {
                let rest = Array(pattern.dropFirst())
                for skip in 0...path.count where glob(rest, path.dropFirst(skip)) { return true }
                return false
            }
            guard let part = path.first, fnmatch(first, part, 0) == 0 else { return false }
            return glob(Array(pattern.dropFirst()), path.dropFirst())
        }
    }

    /// The name under which a `dockerfile_inline` is added to the context that is sent.
    public static let inlineDockerfileName = ".berth-inline.Dockerfile"

    /// The tar of `directory`, honouring its `.dockerignore` (the Dockerfile and `.dockerignore` are always sent).
    /// An `inline` Dockerfile is added as `inlineDockerfileName`, in place of any file of that name.
    public static func archive(directory: String, dockerfile: String = "Dockerfile", inline: String? = nil) throws -> [UInt8] {
        let root = URL(fileURLWithPath: directory)
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw Failure(description: "build context '\(directory)' does not exist")
        }
        let ignore = IgnoreRules((try? String(contentsOf: root.appendingPathComponent(".dockerignore"), encoding: .utf8)) ?? "")
        var archive = TarWriter()
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return archive.finish() }
        var paths: [String] = []
        while let path = walker.nextObject() as? String { paths.append(path) }
        for path in paths.sorted() where !(inline != nil && path == inlineDockerfileName) {
            let keep = path == dockerfile || path == ".dockerignore" || !ignore.isExcluded(path)
            guard keep else { continue }
            let full = root.appendingPathComponent(path).path
            let attributes = try FileManager.default.attributesOfItem(atPath: full)
            let mode = (attributes[.posixPermissions] as? Int) ?? 0o644
            switch attributes[.type] as? FileAttributeType {
            case .typeDirectory?:
                archive.add(path: path + "/", kind: .directory, mode: mode, contents: [])
            case .typeSymbolicLink?:
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: full)
                archive.add(path: path, kind: .symlink(target), mode: mode, contents: [])
            case .typeRegular?:
                let data = try Data(contentsOf: URL(fileURLWithPath: full))
                archive.add(path: path, kind: .file, mode: mode, contents: Array(data))
            default:
                continue
            }
        }
        if let inline { archive.add(path: inlineDockerfileName, kind: .file, mode: 0o644, contents: Array(inline.utf8)) }
        return archive.finish()
    }
}
