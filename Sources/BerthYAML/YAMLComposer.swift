import BerthDiagnostics

/// Limits that keep hostile input (alias bombs, absurd nesting) from hanging or crashing Berth.
public struct YAMLLimits: Sendable, Hashable {
    /// The deepest nesting of sequences and mappings accepted.
    public var maxDepth: Int
    /// The most nodes that aliases may expand to in one file, counted as if every alias were copied out.
    public var maxAliasExpansion: Int

    public init(maxDepth: Int = 512, maxAliasExpansion: Int = 1_000_000) {
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
    }
}

/// The documents of one YAML file, with every problem found while reading them.
public struct YAMLFile: Sendable {
    public var path: String
    public var documents: [YAMLNode]
    public var diagnostics: [Diagnostic]
}

/// Builds node trees from libyaml's events: resolves aliases, applies merge keys, refuses duplicate keys.
///
/// It keeps an explicit stack instead of recursing, so deep input cannot overflow the call stack.
public enum YAMLComposer {
    public static func compose(_ bytes: [UInt8], path: String, limits: YAMLLimits = YAMLLimits()) -> YAMLFile {
        var builder = Builder(path: path, limits: limits)
        let syntaxError = YAMLEventReader.read(bytes) { builder.consume($0) }
        if let syntaxError {
            let location = SourceLocation(file: path, line: max(syntaxError.line, 1), column: max(syntaxError.column, 1))
            let code = syntaxError.message.hasPrefix("invalid UTF-8") ? "invalid-utf8" : "yaml-syntax"
            builder.diagnostics.append(.error(code, syntaxError.message, at: location))
        }
        return YAMLFile(path: path, documents: builder.documents, diagnostics: builder.diagnostics)
    }

    /// Reads text (for tests and inline YAML).
    public static func compose(_ text: String, path: String = "<input>", limits: YAMLLimits = YAMLLimits()) -> YAMLFile {
        compose(Array(text.utf8), path: path, limits: limits)
    }

    private struct Frame {
        enum Kind { case sequence, mapping }
        var kind: Kind
        var tag: String?
        var anchor: String?
        var location: SourceLocation
        var items: [YAMLNode] = []
        var size = 1
    }

    private struct Builder {
        let path: String
        let limits: YAMLLimits
        var documents: [YAMLNode] = []
        var diagnostics: [Diagnostic] = []
        var stack: [Frame] = []
        var anchors: [String: (node: YAMLNode, size: Int)] = [:]
        var expanded = 0
        var documentRoot: YAMLNode?

        init(path: String, limits: YAMLLimits) {
            self.path = path
            self.limits = limits
        }

        func location(_ event: YAMLEvent) -> SourceLocation {
            SourceLocation(file: path, line: event.line, column: event.column)
        }

        mutating func consume(_ event: YAMLEvent) -> Bool {
            switch event.kind {
            case .streamStart, .streamEnd:
                return true
            case .documentStart:
                anchors = [:]
                documentRoot = nil
                return true
            case .documentEnd:
                documents.append(documentRoot ?? .scalar("", at: location(event)))
                return true
            case .scalar(let text, let style):
                var node = YAMLNode.scalar(text, style: style, at: location(event))
                node.tag = event.tag
                return add(node, size: 1, anchor: event.anchor)
            case .alias(let name):
                guard let target = anchors[name] else {
                    diagnostics.append(.error("yaml-undefined-alias", "unknown anchor '\(name)' referenced by an alias", at: location(event)))
                    return false
                }
                expanded = expanded.addingReportingOverflow(target.size).overflow ? Int.max : expanded + target.size
                if expanded > limits.maxAliasExpansion {
                    diagnostics.append(.error(
                        "yaml-alias-limit",
                        "aliases expand to more than \(limits.maxAliasExpansion) nodes (an alias bomb?); refusing to expand '*\(name)'",
                        at: location(event)))
                    return false
                }
                return add(target.node, size: target.size, anchor: nil)
            case .sequenceStart, .mappingStart:
                if stack.count >= limits.maxDepth {
                    diagnostics.append(.error(
                        "yaml-too-deep", "nesting deeper than \(limits.maxDepth) levels is not accepted", at: location(event)))
                    return false
                }
                let kind: Frame.Kind = if case .sequenceStart = event.kind { .sequence } else { .mapping }
                stack.append(Frame(kind: kind, tag: event.tag, anchor: event.anchor, location: location(event)))
                return true
            case .sequenceEnd:
                guard let frame = stack.popLast() else { return false }
                var node = YAMLNode(.sequence(frame.items), location: frame.location)
                node.tag = frame.tag
                return add(node, size: frame.size, anchor: frame.anchor)
            case .mappingEnd:
                guard let frame = stack.popLast() else { return false }
                var pairs: [YAMLPair] = []
                pairs.reserveCapacity(frame.items.count / 2)
                var index = 0
                while index + 1 < frame.items.count {
                    pairs.append(YAMLPair(key: frame.items[index], value: frame.items[index + 1]))
                    index += 2
                }
                var node = YAMLNode(.mapping(resolveMerges(pairs)), location: frame.location)
                node.tag = frame.tag
                return add(node, size: frame.size, anchor: frame.anchor)
            }
        }

        mutating func add(_ node: YAMLNode, size: Int, anchor: String?) -> Bool {
            if let anchor { anchors[anchor] = (node, size) }
            if stack.isEmpty {
                documentRoot = node
            } else {
                stack[stack.count - 1].items.append(node)
                let total = stack[stack.count - 1].size.addingReportingOverflow(size)
                stack[stack.count - 1].size = total.overflow ? Int.max : total.partialValue
            }
            return true
        }

        static func isMergeKey(_ key: YAMLNode) -> Bool {
            guard case .scalar("<<", .plain) = key.content else { return false }
            return key.tag == nil || key.tag == "tag:yaml.org,2002:merge"
        }

        /// Applies `<<` merge keys (keys written in the mapping win; among merged mappings the first wins, as in YAML's
        /// merge-key spec and PyYAML) and reports duplicate keys at their second occurrence.
        mutating func resolveMerges(_ pairs: [YAMLPair]) -> [YAMLPair] {
            var seen: [String: SourceLocation] = [:]
            var hasMerge = false
            for (index, pair) in pairs.enumerated() {
                if Self.isMergeKey(pair.key) {
                    hasMerge = true
                    continue
                }
                guard let key = pair.key.scalarText else { continue }
                // Small mappings (most of them) are checked by comparing keys; larger ones through a dictionary.
                let first: SourceLocation? = pairs.count <= 12
                    ? pairs[..<index].first { $0.key.scalarText == key && !Self.isMergeKey($0.key) }?.key.location
                    : seen[key]
                if let first {
                    var diagnostic = Diagnostic.error("yaml-duplicate-key", "duplicate key '\(key)' in a mapping", at: pair.key.location)
                    diagnostic.related = [.init(location: first, message: "'\(key)' first defined here")]
                    diagnostics.append(diagnostic)
                } else if pairs.count > 12 {
                    seen[key] = pair.key.location
                }
            }
            guard hasMerge else { return pairs }
            var result: [YAMLPair] = []
            var present = Set(pairs.compactMap { Self.isMergeKey($0.key) ? nil : $0.key.scalarText })
            for pair in pairs {
                guard Self.isMergeKey(pair.key) else {
                    result.append(pair)
                    continue
                }
                let sources: [YAMLNode]
                switch pair.value.content {
                case .mapping: sources = [pair.value]
                case .sequence(let items): sources = items
                case .scalar:
                    diagnostics.append(.error(
                        "yaml-merge", "a merge key '<<' needs a mapping or a list of mappings, not \(pair.value.kindName)",
                        at: pair.value.location))
                    continue
                }
                for source in sources {
                    guard let merged = source.mapping else {
                        diagnostics.append(.error(
                            "yaml-merge", "a merge key '<<' needs mappings, not \(source.kindName)", at: source.location))
                        continue
                    }
                    for mergedPair in merged {
                        guard let key = mergedPair.key.scalarText else {
                            result.append(mergedPair)
                            continue
                        }
                        if present.insert(key).inserted { result.append(mergedPair) }
                    }
                }
            }
            return result
        }
    }
}
