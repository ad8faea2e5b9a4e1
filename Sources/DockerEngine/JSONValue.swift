import Foundation

/// A JSON value, for Docker-shaped request and response bodies.
public enum JSONValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var int: Int? {
        if case .number(let value) = self { return Int(exactly: value.rounded(.towardZero)) }
        return nil
    }

    public var double: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// An object of strings (labels, options) as a dictionary; values that are not strings are left out.
    public var stringMap: [String: String]? {
        object?.compactMapValues(\.string)
    }

    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONParser.parse(data)
    }

    /// Whether this value holds everything `part` says, as an engine that stored `part` answers it: every key of an
    /// object covered (extra keys, such as the defaults the engine fills in, are allowed), arrays item by item, and a
    /// missing key standing for a zero value (Go's `omitempty`: null, false, 0, "", [] or {}).
    public func covers(_ part: JSONValue) -> Bool {
        switch (self, part) {
        case (.object(let whole), .object(let wanted)):
            return wanted.allSatisfy { key, value in whole[key].map { $0.covers(value) } ?? value.isZero }
        case (.array(let whole), .array(let wanted)):
            return whole.count == wanted.count && zip(whole, wanted).allSatisfy { $0.covers($1) }
        default:
            return self == part || (isZero && part.isZero)
        }
    }

    /// Null, false, 0, "", [] or {}.
    public var isZero: Bool {
        switch self {
        case .null: return true
        case .bool(let value): return !value
        case .number(let value): return value == 0
        case .string(let value): return value.isEmpty
        case .array(let value): return value.isEmpty
        case .object(let value): return value.isEmpty
        }
    }

    /// Compact JSON with sorted keys.
    public func encoded() throws -> Data {
        JSONSerializer.write(self)
    }

    /// The same, as text (one line, as the `--format json` outputs print it).
    public var text: String {
        String(decoding: JSONSerializer.write(self), as: UTF8.self)
    }
}
