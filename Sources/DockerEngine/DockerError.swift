/// A failure talking to the engine; keeps the engine's status and message.
public enum DockerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The engine answered with an error status.
    case engine(status: Int, message: String, method: String, path: String)
    /// No engine answers on the socket.
    case unreachable(socket: String, reason: String)
    /// The engine's answer could not be read.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .engine(let status, let message, _, _): "engine error \(status): \(message)"
        case .unreachable(let socket, let reason): "cannot reach the Docker engine at \(socket): \(reason)"
        case .invalidResponse(let reason): "unexpected answer from the engine: \(reason)"
        }
    }

    public var status: Int? {
        if case .engine(let status, _, _, _) = self { return status }
        return nil
    }

    public var message: String {
        switch self {
        case .engine(_, let message, _, _): message
        default: description
        }
    }
}
