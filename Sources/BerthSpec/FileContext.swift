import BerthDiagnostics
import BerthYAML
import Foundation

/// Reads, interpolates and resolves `extends` for the files of one load.
struct FileContext {
    let sources: SourceCache
    let lookup: @Sendable (String) -> String?
    var diagnostics: [Diagnostic] = []
    /// Where a scalar held `${...}`: the credential lint only flags values written literally.
    var interpolated = Set<SourceLocation>()
    private var cache: [String: YAMLNode] = [:]
    /// False for `config --no-interpolate`: variables are kept as written.
    var interpolates = true

    init(sources: SourceCache, lookup: @escaping @Sendable (String) -> String?) {
        self.sources = sources
        self.lookup = lookup
    }

    /// Reads one file: YAML errors and interpolation errors are collected; returns its first document.
    mutating func read(_ path: String) -> YAMLNode? {
        if let cached = cache[path] { return cached }
        // `-f -`: standard input, read to its end (a pipe reports no size, so it is not read as a file).
        let contents = path == ProjectLoader.standardInput ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
        guard let data = contents else {
            diagnostics.append(.error("file-not-found", "cannot read '\(path)'", at: nil))
            return nil
        }
        let bytes = Array(data)
        sources.register(path: path, text: String(decoding: bytes, as: UTF8.self))
        let file = YAMLComposer.compose(bytes, path: path)
        diagnostics += file.diagnostics
        guard !file.diagnostics.hasErrors, let document = file.documents.first else {
            if file.documents.isEmpty && !file.diagnostics.hasErrors {
                diagnostics.append(.error("empty-file", "the compose file is empty", at: SourceLocation(file: path, line: 1, column: 1)))
            }
            return nil
        }
        var merged = document
        for extra in file.documents.dropFirst() { merged = ComposeMerger.mergeDocuments(merged, extra) }
        let interpolated = interpolates ? interpolate(merged) : merged
        cache[path] = interpolated
        return interpolated
    }

    mutating func interpolate(_ node: YAMLNode) -> YAMLNode {
        interpolated(node) ?? node
    }

    /// The node with its variables substituted, or nil when nothing in it changed (so untouched subtrees are not copied).
    private mutating func interpolated(_ node: YAMLNode) -> YAMLNode? {
        switch node.content {
        case .scalar(let text, let style):
            guard text.utf8.contains(UInt8(ascii: "$")) else { return nil }
            switch Interpolator(lookup: lookup).interpolate(text) {
            case .success(let value):
                interpolated.insert(node.location)
                // An interpolated plain scalar is read again as a plain scalar (`replicas: $N` is a number), except
                // where that would make it null: `X: ${UNSET:-}` is the empty string, as in Compose, which
                // interpolates after YAML typing. A null environment value would take the shell's value instead.
                var copy = node
                let nullish = value.isEmpty || value == "~" || value == "null" || value == "Null" || value == "NULL"
                copy.content = .scalar(value, style == .plain && nullish ? .doubleQuoted : style)
                return copy
            case .failure(let failure):
                var location = node.location
                if style == .plain, !text.utf8.contains(UInt8(ascii: "\n")) { location.column += failure.offset }
                diagnostics.append(.error(failure.code, failure.message, at: location))
                return nil
            }
        case .sequence(var items):
            var changed = false
            for index in items.indices {
                if let replacement = interpolated(items[index]) {
                    items[index] = replacement
                    changed = true
                }
            }
            guard changed else { return nil }
            var copy = node
            copy.content = .sequence(items)
            return copy
        case .mapping(var pairs):
            var changed = false
            for index in pairs.indices {
                if let replacement = interpolated(pairs[index].value) {
                    pairs[index].value = replacement
                    changed = true
                }
            }
            guard changed else { return nil }
            var copy = node
            copy.content = .mapping(pairs)
            return copy
        }
    }
}
