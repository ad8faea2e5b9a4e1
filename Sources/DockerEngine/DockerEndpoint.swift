/// Where an engine answers, as the docker CLI resolves it: a unix socket or a TCP address, with TLS material when the
/// endpoint needs it, and the context it came from (for messages).
public struct DockerEndpoint: Sendable, Hashable, CustomStringConvertible {
    public enum Transport: Sendable, Hashable {
        case unix(path: String)
        case tcp(host: String, port: Int)
    }

    /// TLS material: a CA to verify the engine with (when `verify`), and the client's certificate and key.
    public struct TLS: Sendable, Hashable {
        public var caFile: String?
        public var certFile: String?
        public var keyFile: String?
        public var verify: Bool

        public init(caFile: String?, certFile: String?, keyFile: String?, verify: Bool) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
            self.verify = verify
        }
    }

    public var transport: Transport
    public var tls: TLS?
    /// The docker context this endpoint comes from (`default` for `DOCKER_HOST`, `-H` or the local socket).
    public var context: String

    public init(transport: Transport, tls: TLS? = nil, context: String = "default") {
        self.transport = transport
        self.tls = tls
        self.context = context
    }

    public static let defaultSocketPath = "/var/run/docker.sock"
    public static let local = DockerEndpoint(transport: .unix(path: defaultSocketPath))

    public var description: String {
        switch transport {
        case .unix(let path): "unix://\(path)"
        case .tcp(let host, let port): "tcp://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }

    /// The endpoint with the context it comes from, for messages.
    public var spoken: String {
        context == "default" ? description : "\(description) (docker context '\(context)')"
    }

    /// Whether the engine runs on this host, so that this host's `/proc` shows the ports it binds: a unix socket, or
    /// TCP to a loopback address.
    public var isLocal: Bool {
        switch transport {
        case .unix: true
        case .tcp(let host, _): host == "localhost" || host.hasPrefix("127.") || host == "::1"
        }
    }

    /// The socket path, for a unix endpoint.
    public var socketPath: String? {
        if case .unix(let path) = transport { return path }
        return nil
    }
}
