/// Splits the engine's multiplexed stdout/stderr stream (8-byte frame headers) into frames. Buffers across reads,
/// since one read may hold part of a frame or several frames.
public struct DockerStreamDemultiplexer: Sendable {
    public enum Stream: UInt8, Sendable { case stdin = 0, stdout = 1, stderr = 2 }

    private var buffer: [UInt8] = []

    public init() {}

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [(Stream, [UInt8])] {
        buffer.append(contentsOf: bytes)
        var frames: [(Stream, [UInt8])] = []
        var offset = 0
        while buffer.count - offset >= 8 {
            let size = Int(buffer[offset + 4]) << 24 | Int(buffer[offset + 5]) << 16 | Int(buffer[offset + 6]) << 8 | Int(buffer[offset + 7])
            guard buffer.count - offset >= 8 + size else { break }
            let stream = Stream(rawValue: buffer[offset]) ?? .stdout
            frames.append((stream, Array(buffer[(offset + 8)..<(offset + 8 + size)])))
            offset += 8 + size
        }
        if offset > 0 { buffer.removeFirst(offset) }
        return frames
    }
}
