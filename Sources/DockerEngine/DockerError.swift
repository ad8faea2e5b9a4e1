/// A failure talking to the engine; keeps the engine's status and message.
public enum DockerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The engine answered with an error status.
    case engine(status: Int, message: String, method: String, path: String)
    /// No engine answers at the endpoint.
    case unreachable(endpoint: String, reason: String)
    /// The engine took longer than the request allows (it is reachable, but busy or stuck).
    case timedOut(endpoint: String, request: String, seconds: Int64)
    /// The engine's answer could not be read.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .engine(let status, let message, _, _): "engine error \(status): \(message)"
        case .unreachable(let endpoint, let reason): "cannot reach the Docker engine at \(endpoint): \(reason)"
        case .timedOut(let endpoint, let request, let seconds): "the Docker engine at \(endpoint) did not answer \(request) within \(seconds) s"
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
