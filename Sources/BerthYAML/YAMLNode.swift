import BerthDiagnostics

/// How a scalar was written in the source.
public enum ScalarStyle: String, Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded

    /// Whether the scalar was written without quotes or block markers, so that it may mean a number, bool or null.
    public var isPlain: Bool { self == .plain }
}

/// A node of a YAML document. Every node knows where it was written (for aliases: where the anchored node was written).
public struct YAMLNode: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    /// The explicit tag, as libyaml reports it (`tag:yaml.org,2002:str` for `!!str`, `!reset` for a local tag).
    public var tag: String?
    public var location: SourceLocation

    public init(_ content: Content, tag: String? = nil, location: SourceLocation) {
        self.content = content
        self.tag = tag
        self.location = location
    }

    public static func scalar(_ text: String, style: ScalarStyle = .plain, at location: SourceLocation) -> YAMLNode {
        YAMLNode(.scalar(text, style), location: location)
    }

    public var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    public var scalarStyle: ScalarStyle? {
        if case .scalar(_, let style) = content { return style }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The value for a string key of a mapping node.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = content else { return nil }
        for pair in pairs {
            if case .scalar(let text, _) = pair.key.content, text == key { return pair.value }
        }
        return nil
    }

    /// The pair for a string key of a mapping node (its key keeps the key's location).
    public func pair(_ key: String) -> YAMLPair? {
        mapping?.first { $0.key.scalarText == key }
    }

    /// What kind of node this is, in words for messages.
    public var kindName: String {
        switch content {
        case .scalar:
            switch resolvedScalar {
            case .null: "null"
            case .bool: "a boolean"
            case .int: "an integer"
            case .float: "a number"
            case .string, .none: "a string"
            }
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// Whether this node is a null (`~`, `null` or nothing, unquoted).
    public var isNull: Bool {
        guard case .scalar(let text, let style) = content else { return false }
        if let tag { return tag == "tag:yaml.org,2002:null" }
        guard style == .plain else { return false }
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }
}

/// A key and its value in a mapping. Key order is kept as written.
public struct YAMLPair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
