/// Why no engine endpoint could be chosen. Never a reason to fall back to the local socket: acting on the wrong
/// engine is worse than stopping.
public enum EndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    case conflictingOptions
    case contextNotFound(name: String, path: String)
    case unsupportedScheme(endpoint: String, context: String)
    case invalidHost(String)
    case malformed(path: String, reason: String)
    case missingTLSFile(path: String, context: String)

    public var description: String {
        switch self {
        case .conflictingOptions:
            "conflicting options: either specify --host or --context, not both"
        case .contextNotFound(let name, let path):
            "docker context '\(name)' does not exist (no \(path)); 'docker context ls' lists the contexts"
        case .unsupportedScheme(let endpoint, let context):
            "the engine endpoint '\(endpoint)'\(context == "default" ? "" : " of docker context '\(context)'") is not supported: Berth speaks to unix:// and tcp:// (with TLS) endpoints only; for ssh, forward the socket (ssh -L /tmp/docker.sock:/var/run/docker.sock HOST) and use DOCKER_HOST=unix:///tmp/docker.sock"
        case .invalidHost(let host):
            "invalid engine address '\(host)': expected unix:///path/to/socket or tcp://HOST:PORT"
        case .malformed(let path, let reason):
            "cannot read '\(path)': \(reason)"
        case .missingTLSFile(let path, let context):
            "TLS file '\(path)'\(context == "default" ? "" : " of docker context '\(context)'") does not exist"
        }
    }
}
