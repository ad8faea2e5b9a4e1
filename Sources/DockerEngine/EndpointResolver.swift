import BerthHashing
import Foundation

/// Chooses the engine endpoint as the docker CLI does (docker/cli `cli/command/cli.go`, `resolveContextName` and the
/// `default` context's host and TLS flags).
///
/// - `--host` and `--context` together are an error.
/// - The context is `--context`, else `default` when `--host` or `DOCKER_HOST` is given, else `DOCKER_CONTEXT`, else
///   `currentContext` of `config.json`, else `default`.
/// - `default` is `--host`, else `DOCKER_HOST`, else the local socket; TLS from `--tls`/`--tlsverify` or
///   `DOCKER_TLS`/`DOCKER_TLS_VERIFY`, with `ca.pem`, `cert.pem` and `key.pem` from `--tlscacert` etc., else
///   `DOCKER_CERT_PATH`, else the config directory.
/// - Another context is read from `contexts/meta/<sha256 of its name>/meta.json`, its TLS material from
///   `contexts/tls/<sha256 of its name>/docker/`.
public enum EndpointResolver {
    public struct Options: Sendable, Hashable {
        public var host: String?
        public var context: String?
        public var configDirectory: String?
        public var tls = false
        public var tlsVerify = false
        public var tlsCACert: String?
        public var tlsCert: String?
        public var tlsKey: String?

        public init(host: String? = nil, context: String? = nil, configDirectory: String? = nil) {
            self.host = host
            self.context = context
            self.configDirectory = configDirectory
        }
    }

    public static func resolve(_ options: Options = Options(), environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DockerEndpoint {
        if options.host != nil, options.context != nil { throw EndpointError.conflictingOptions }
        let directory = DockerConfigFile.directory(flag: options.configDirectory, environment: environment)
        let name = try contextName(options, environment: environment, configDirectory: directory)
        if name == "default" { return try defaultEndpoint(options, environment: environment, configDirectory: directory) }
        return try contextEndpoint(name, configDirectory: directory)
    }

    static func nonEmpty(_ value: String?) -> String? {
        value.flatMap { $0.isEmpty ? nil : $0 }
    }

    static func contextName(_ options: Options, environment: [String: String], configDirectory: String) throws -> String {
        if let context = nonEmpty(options.context) { return context }
        if options.host != nil || nonEmpty(environment["DOCKER_HOST"]) != nil { return "default" }
        if let context = nonEmpty(environment["DOCKER_CONTEXT"]) { return context }
        return try DockerConfigFile.load(directory: configDirectory).currentContext ?? "default"
    }

    static func defaultEndpoint(_ options: Options, environment: [String: String], configDirectory: String) throws -> DockerEndpoint {
        let host = nonEmpty(options.host) ?? nonEmpty(environment["DOCKER_HOST"]) ?? "unix://\(DockerEndpoint.defaultSocketPath)"
        let verify = options.tlsVerify || nonEmpty(environment["DOCKER_TLS_VERIFY"]) != nil
        let useTLS = verify || options.tls || nonEmpty(environment["DOCKER_TLS"]) != nil
        var tls: DockerEndpoint.TLS?
        if useTLS {
            let certPath = nonEmpty(environment["DOCKER_CERT_PATH"]) ?? configDirectory
            func file(_ flag: String?, _ name: String) -> String? {
                let path = flag ?? certPath + "/" + name
                return FileManager.default.fileExists(atPath: path) ? path : nil
            }
            tls = DockerEndpoint.TLS(caFile: file(options.tlsCACert, "ca.pem"), certFile: file(options.tlsCert, "cert.pem"),
                                     keyFile: file(options.tlsKey, "key.pem"), verify: verify)
            if verify, tls?.caFile == nil {
                throw EndpointError.missingTLSFile(path: options.tlsCACert ?? certPath + "/ca.pem", context: "default")
            }
        }
        return try endpoint(host, tls: tls, context: "default")
    }

    /// The directory name of a context's files: the hex SHA-256 of its name.
    public static func contextID(_ name: String) -> String {
        SHA256.hex(name)
    }

    static func contextEndpoint(_ name: String, configDirectory: String) throws -> DockerEndpoint {
        let id = contextID(name)
        let metaPath = "\(configDirectory)/contexts/meta/\(id)/meta.json"
        guard let data = FileManager.default.contents(atPath: metaPath) else {
            throw EndpointError.contextNotFound(name: name, path: metaPath)
        }
        let meta: JSONValue
        do { meta = try JSONValue.parse(data) } catch { throw EndpointError.malformed(path: metaPath, reason: "\(error)") }
        guard let docker = meta["Endpoints"]?["docker"], let host = docker["Host"]?.string, !host.isEmpty else {
            throw EndpointError.malformed(path: metaPath, reason: "no Endpoints.docker.Host")
        }
        let tlsDirectory = "\(configDirectory)/contexts/tls/\(id)/docker"
        func file(_ name: String) -> String? {
            let path = "\(tlsDirectory)/\(name)"
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        var tls: DockerEndpoint.TLS?
        let (ca, cert, key) = (file("ca.pem"), file("cert.pem"), file("key.pem"))
        if ca != nil || cert != nil || key != nil {
            tls = DockerEndpoint.TLS(caFile: ca, certFile: cert, keyFile: key, verify: docker["SkipTLSVerify"]?.bool != true)
        }
        return try endpoint(host, tls: tls, context: name)
    }

    /// Parses `unix:///path` or `tcp://host[:port]`; any other scheme is refused by name.
    static func endpoint(_ host: String, tls: DockerEndpoint.TLS?, context: String) throws -> DockerEndpoint {
        guard let schemeEnd = host.range(of: "://") else { throw EndpointError.invalidHost(host) }
        let scheme = host[..<schemeEnd.lowerBound].lowercased()
        let rest = String(host[schemeEnd.upperBound...])
        switch scheme {
        case "unix":
            guard rest.hasPrefix("/") else { throw EndpointError.invalidHost(host) }
            return DockerEndpoint(transport: .unix(path: rest), tls: nil, context: context)
        case "tcp", "http", "https":
            var address = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            var port = tls != nil || scheme == "https" ? 2376 : 2375
            if address.hasPrefix("[") {
                guard let close = address.firstIndex(of: "]") else { throw EndpointError.invalidHost(host) }
                let after = address[address.index(after: close)...]
                if after.hasPrefix(":") { guard let p = Int(after.dropFirst()) else { throw EndpointError.invalidHost(host) }; port = p }
                address = String(address[address.index(after: address.startIndex)..<close])
            } else if let colon = address.lastIndex(of: ":") {
                guard let p = Int(address[address.index(after: colon)...]) else { throw EndpointError.invalidHost(host) }
                port = p
                address = String(address[..<colon])
            }
            guard !address.isEmpty, (1...65535).contains(port) else { throw EndpointError.invalidHost(host) }
            return DockerEndpoint(transport: .tcp(host: address, port: port), tls: tls, context: context)
        default:
            throw EndpointError.unsupportedScheme(endpoint: host, context: context)
        }
    }
}
