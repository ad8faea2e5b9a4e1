import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// A client for the Docker Engine HTTP API, over a unix socket or TCP (with TLS). It speaks Docker, not Compose.
///
/// The API version is negotiated from `/_ping` (the lower of ours and the engine's), never hard-coded.
public final class DockerClient: Sendable {
    public static let maximumAPIVersion = "1.45"
    public let endpoint: DockerEndpoint
    private let http: HTTPClient
    private let negotiated: NegotiatedVersion

    private actor NegotiatedVersion {
        var version: String?
        var osType: String?
        func set(_ version: String, os: String?) {
            self.version = version
            self.osType = os
        }
    }

    /// The HTTP methods the engine API uses.
    public enum Method: String, Sendable {
        case GET, POST, PUT, DELETE, HEAD

        var nio: HTTPMethod {
            switch self {
            case .GET: .GET
            case .POST: .POST
            case .PUT: .PUT
            case .DELETE: .DELETE
            case .HEAD: .HEAD
            }
        }
    }

    struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data

        public func json() throws -> JSONValue {
            guard !body.isEmpty else { return .null }
            do { return try JSONValue.parse(body) } catch { throw DockerError.invalidResponse(String(decoding: body.prefix(200), as: UTF8.self)) }
        }
    }

    /// A client of the engine on the local socket, `/var/run/docker.sock` (commands resolve their endpoint with
    /// `EndpointResolver` and use `init(endpoint:)`).
    public convenience init() {
        // The local socket needs no TLS material, so this cannot fail.
        try! self.init(endpoint: .local)
    }

    /// A client of `endpoint`; throws when its TLS files cannot be read.
    public init(endpoint: DockerEndpoint) throws {
        self.endpoint = endpoint
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        configuration.tlsConfiguration = try endpoint.tlsConfiguration()
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.negotiated = NegotiatedVersion()
    }

    /// Must be called before the client is released.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Pings the engine and settles the API version. Returns (api version, OS type).
    @discardableResult
    public func negotiate() async throws -> (version: String, osType: String) {
        if let version = await negotiated.version { return (version, await negotiated.osType ?? "linux") }
        let response = try await raw(method: .GET, uri: "/_ping", body: nil, timeout: .seconds(5))
        guard response.status == 200 else {
            throw DockerError.engine(status: response.status, message: String(decoding: response.body, as: UTF8.self), method: "GET", path: "/_ping")
        }
        let header = response.headers.first { $0.0.lowercased() == "api-version" }?.1 ?? "1.24"
        let os = response.headers.first { $0.0.lowercased() == "ostype" }?.1 ?? "linux"
        let version = Self.compare(header, Self.maximumAPIVersion) < 0 ? header : Self.maximumAPIVersion
        await negotiated.set(version, os: os)
        return (version, os)
    }

    /// Takes an API version and OS type known from an earlier answer of the same engine, saving the `/_ping` round trip.
    public func adopt(version: String, osType: String) async {
        let usable = Self.compare(version, Self.maximumAPIVersion) < 0 ? version : Self.maximumAPIVersion
        await negotiated.set(usable, os: osType)
    }

    static func compare(_ a: String, _ b: String) -> Int {
        let x = a.split(separator: ".").compactMap { Int($0) }, y = b.split(separator: ".").compactMap { Int($0) }
        for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
        return x.count - y.count
    }

    func url(_ uri: String) throws -> String {
        switch endpoint.transport {
        case .unix(let path):
            guard let url = URL(httpURLWithSocketPath: path, uri: uri) else { throw DockerError.invalidResponse("bad path \(uri)") }
            return url.absoluteString
        case .tcp(let host, let port):
            return "\(endpoint.tls == nil ? "http" : "https")://\(host.contains(":") ? "[\(host)]" : host):\(port)\(uri)"
        }
    }

    /// What a failed request means: a cancellation stays a cancellation, a deadline is a time-out of a reachable
    /// engine, and the rest is an engine that cannot be reached.
    func failure(_ error: Error, request: String, timeout: TimeAmount) -> Error {
        if error is CancellationError { return error }
        if let error = error as? HTTPClientError {
            if error == .cancelled { return CancellationError() }
            if error == .deadlineExceeded || error == .readTimeout {
                return DockerError.timedOut(endpoint: endpoint.spoken, request: request, seconds: timeout.nanoseconds / 1_000_000_000)
            }
        }
        return DockerError.unreachable(endpoint: endpoint.spoken, reason: Self.reason(error))
    }

    /// A connection failure in a few words (AHC's own descriptions nest the system error twice).
    static func reason(_ error: Error) -> String {
        let text = "\(error)"
        if text.contains("Connection refused") || text.contains("errno: 111") { return "connection refused" }
        if text.contains("No such file") || text.contains("errno: 2)") { return "no such socket" }
        if text.contains("Permission denied") || text.contains("errno: 13)") { return "permission denied" }
        if text.lowercased().contains("timed out") || text.contains("timeout") { return "no answer in time" }
        return text
    }

    /// The engine refuses HTTP/1.1 requests without a Host header, and AHC sends none for unix sockets.
    private func addHost(_ request: inout HTTPClientRequest) {
        if case .unix = endpoint.transport { request.headers.add(name: "Host", value: "docker") }
    }

    private func raw(method: Method, uri: String, body: Data?, timeout: TimeAmount, headers: [(String, String)] = []) async throws -> Response {
        var request = HTTPClientRequest(url: try url(uri))
        request.method = method.nio
        addHost(&request)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw failure(error, request: "\(method.rawValue) \(uri)", timeout: timeout)
        }
        var data = Data()
        for try await chunk in response.body { data.append(contentsOf: chunk.readableBytesView) }
        return Response(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: data)
    }

    /// `/v<negotiated version><path>?<query>`, with `+` escaped (the engine reads it as a space).
    func versionedURI(_ path: String, query: [(String, String)]) async throws -> String {
        let (version, _) = try await negotiate()
        var uri = "/v\(version)\(path)"
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            uri += "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        }
        return uri
    }

    /// Sends a request to a versioned path; an error status becomes `DockerError.engine` with the engine's message,
    /// except the `allowed` ones (a 404 that means "already gone"), which the caller reads from the response.
    func send(_ method: Method, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
                     timeoutSeconds: Int64 = 120, allowing allowed: Set<Int> = [], headers: [(String, String)] = []) async throws -> Response {
        let uri = try await versionedURI(path, query: query)
        let response = try await raw(method: method, uri: uri, body: try body?.encoded(), timeout: .seconds(timeoutSeconds), headers: headers)
        if response.status >= 400 && !allowed.contains(response.status) {
            let message = (try? JSONValue.parse(response.body))?["message"]?.string ?? String(decoding: response.body, as: UTF8.self)
            throw DockerError.engine(status: response.status, message: message.trimmingCharacters(in: .whitespacesAndNewlines),
                                     method: method.rawValue, path: path)
        }
        return response
    }

    /// Opens a streaming request (logs, events, exec output) and hands each chunk to `onChunk` as it arrives.
    /// The timeout covers only the wait for the response head; cancel the calling task to stop a stream that never ends.
    func stream(_ method: Method, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
                       onChunk: ([UInt8]) async throws -> Void) async throws {
        try await stream(method, path, query: query, rawBody: try body.map { (Array(try $0.encoded()), "application/json") }, onChunk: onChunk)
    }

    /// The same with a body of any type (a build context is `application/x-tar`). The head may take long to come
    /// when the engine first reads a large body, so the wait for it is generous.
    func stream(_ method: Method, _ path: String, query: [(String, String)] = [], rawBody: ([UInt8], String)?,
                       headers: [(String, String)] = [], onChunk: ([UInt8]) async throws -> Void) async throws {
        let uri = try await versionedURI(path, query: query)
        var request = HTTPClientRequest(url: try url(uri))
        request.method = method.nio
        addHost(&request)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let (bytes, contentType) = rawBody {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        let response: HTTPClientResponse
        let timeout: TimeAmount = .seconds(rawBody == nil ? 30 : 600)
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw failure(error, request: "\(method.rawValue) \(path)", timeout: timeout)
        }
        if response.status.code >= 400 {
            var data = Data()
            for try await chunk in response.body { data.append(contentsOf: chunk.readableBytesView) }
            let message = (try? JSONValue.parse(data))?["message"]?.string ?? String(decoding: data, as: UTF8.self)
            throw DockerError.engine(status: Int(response.status.code), message: message, method: method.rawValue, path: path)
        }
        for try await chunk in response.body {
            try await onChunk(Array(chunk.readableBytesView))
        }
    }

    /// A label filter for list endpoints: `{"label":["k=v", ...]}` as JSON text.
    public static func filters(_ filters: [String: [String]]) -> String {
        let value = JSONValue.object(filters.mapValues { .array($0.map(JSONValue.string)) })
        return value.text
    }
}
