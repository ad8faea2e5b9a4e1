/// The bytes a hijacked stream sends to the process's stdin. Each call gives the next chunk, or nil at the end; the
/// connection's write side is then closed, so the process reads end-of-file. A chunk is asked for only once the one
/// before it is written, so a slow process holds a fast source back.
public protocol StreamInput: Sendable {
    func next() async -> [UInt8]?
}

/// Input known in advance: the bytes, then the end.
public actor BytesInput: StreamInput {
    private var remaining: [UInt8]?

    public init(_ bytes: [UInt8]) {
        remaining = bytes
    }

    public func next() -> [UInt8]? {
        defer { remaining = nil }
        return remaining
    }
}
