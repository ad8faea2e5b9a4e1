import Foundation

/// Registry credentials as the docker CLI resolves them (docker/cli `cli/config/configfile` and `credentials`): a
/// per-registry `credHelpers` entry, else the `credsStore`, else `auths` in `config.json`; helpers speak the
/// `docker-credential-*` protocol (`get`, the server on stdin, JSON on stdout). The engine takes them in the
/// `X-Registry-Auth` header, base64url of a JSON object.
public struct RegistryAuth: Sendable, Hashable {
    public var username: String?
    public var password: String?
    public var identityToken: String?
    public var serverAddress: String

    /// Docker Hub's key in `auths` and in credential stores.
    public static let dockerHubServer = "https://index.docker.io/v1/"

    /// The registry host of an image reference (`127.0.0.1:5000/app:1` → `127.0.0.1:5000`; `busybox` → `docker.io`).
    public static func registry(of reference: String) -> String {
        guard let slash = reference.firstIndex(of: "/") else { return "docker.io" }
        let first = reference[..<slash]
        return first.contains(".") || first.contains(":") || first == "localhost" ? String(first) : "docker.io"
    }

    /// The key a registry's credentials are stored under.
    public static func serverKey(_ registry: String) -> String {
        registry == "docker.io" || registry == "index.docker.io" || registry == "registry-1.docker.io" ? dockerHubServer : registry
    }

    /// `https://host:port/v2/` and `host:port` name the same registry.
    public static func hostname(_ key: String) -> String {
        var s = Substring(key)
        if let scheme = s.range(of: "://") { s = s[scheme.upperBound...] }
        return String(s.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// The credentials for `registry` (a host, or `docker.io`), or nil for an anonymous pull. A helper that is missing
    /// or fails is an error, never a silent anonymous pull.
    public static func resolve(registry: String, config: DockerConfigFile, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RegistryAuth? {
        let key = serverKey(registry)
        if let helper = config.credHelpers[key] ?? config.credHelpers[registry] {
            return try fromHelper(helper, server: key, config: config, environment: environment)
        }
        if let store = config.credsStore {
            if let found = try fromHelper(store, server: key, config: config, environment: environment) { return found }
        }
        let entry = config.auths[key] ?? config.auths.first { hostname($0.key) == hostname(key) }?.value
        guard let entry, entry.username != nil || entry.identityToken != nil else { return nil }
        return RegistryAuth(username: entry.username, password: entry.password, identityToken: entry.identityToken, serverAddress: key)
    }

    /// Runs `docker-credential-<helper> get` with the server on stdin.
    static func fromHelper(_ helper: String, server: String, config: DockerConfigFile, environment: [String: String]) throws -> RegistryAuth? {
        let program = "docker-credential-\(helper)"
        let path = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map { "\($0)/\(program)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            throw RegistryAuthError.helperMissing(program: program, configPath: config.directory + "/config.json")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["get"]
        process.environment = environment
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw RegistryAuthError.helperFailed(program: program, server: server, message: "\(error)") }
        input.fileHandleForWriting.write(Data(server.utf8))
        try? input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else {
            // The protocol's answer for "nothing stored": an anonymous pull, as the CLI does.
            if text.contains("credentials not found") { return nil }
            let message = [text, String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)].filter { !$0.isEmpty }.joined(separator: "; ")
            throw RegistryAuthError.helperFailed(program: program, server: server, message: message.isEmpty ? "exit \(process.terminationStatus)" : message)
        }
        guard let json = try? JSONValue.parse(out), let username = json["Username"]?.string, let secret = json["Secret"]?.string else {
            throw RegistryAuthError.helperFailed(program: program, server: server, message: "unreadable answer")
        }
        // Debian's helpers (0.6.4) answer an unknown server with empty values and exit 0 (docker-credential-helpers#220).
        if username.isEmpty && secret.isEmpty { return nil }
        if username == "<token>" { return RegistryAuth(username: nil, password: nil, identityToken: secret, serverAddress: server) }
        return RegistryAuth(username: username, password: secret, identityToken: nil, serverAddress: server)
    }

    /// The `X-Registry-Auth` header: base64url (with padding) of `{"username","password","serveraddress"}`, or of the
    /// identity token.
    public var header: String {
        var fields: [String: JSONValue] = ["serveraddress": .string(serverAddress)]
        if let identityToken { fields["identitytoken"] = .string(identityToken) }
        if let username { fields["username"] = .string(username) }
        if let password { fields["password"] = .string(password) }
        let json = (try? JSONValue.object(fields).encoded()) ?? Data("{}".utf8)
        return json.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}

/// A credential helper that cannot answer.
public enum RegistryAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    case helperMissing(program: String, configPath: String)
    case helperFailed(program: String, server: String, message: String)

    public var description: String {
        switch self {
        case .helperMissing(let program, let configPath):
            "the credential helper '\(program)' that \(configPath) names is not installed (not on PATH)"
        case .helperFailed(let program, let server, let message):
            "the credential helper '\(program)' gave no credentials for \(server): \(message)"
        }
    }
}
