import Foundation

/// Where the executor reports what it does, one line per state change.
public struct ProgressReporter: Sendable {
    public var write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    public static let standardError = ProgressReporter { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    public static let silent = ProgressReporter { _ in }

    func callAsFunction(_ line: String) { write(line) }
}
