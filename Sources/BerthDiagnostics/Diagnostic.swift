/// How serious a diagnostic is.
public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One problem found while loading, checking or running a stack.
///
/// Loading and planning collect these instead of throwing, so a user sees every problem at once.
public struct Diagnostic: Sendable, Hashable {
    /// A secondary place that explains the primary one (the other claimant of a port, say).
    public struct Related: Sendable, Hashable {
        public var location: SourceLocation?
        public var message: String
        public var service: String?

        public init(location: SourceLocation?, message: String, service: String? = nil) {
            self.location = location
            self.message = message
            self.service = service
        }
    }

    public var severity: Severity
    /// A stable identifier such as `port-conflict` or `yaml-syntax`.
    public var code: String
    public var message: String
    public var location: SourceLocation?
    public var service: String?
    public var related: [Related]

    public init(
        _ severity: Severity, code: String, _ message: String, at location: SourceLocation?,
        service: String? = nil, related: [Related] = []
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.service = service
        self.related = related
    }

    public static func error(_ code: String, _ message: String, at location: SourceLocation?, service: String? = nil) -> Diagnostic {
        Diagnostic(.error, code: code, message, at: location, service: service)
    }

    public static func warning(_ code: String, _ message: String, at location: SourceLocation?, service: String? = nil) -> Diagnostic {
        Diagnostic(.warning, code: code, message, at: location, service: service)
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public func count(of severity: Severity) -> Int { filter { $0.severity == severity }.count }
}
