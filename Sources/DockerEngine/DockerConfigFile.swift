import Foundation

/// The docker CLI's `config.json` (`$DOCKER_CONFIG`, default `~/.docker`): the current context and the registry
/// credentials (`auths`, `credsStore`, `credHelpers`). A missing file is an empty configuration, as for the CLI.
public struct DockerConfigFile: Sendable {
    /// One `auths` entry: `auth` is base64 of `user:password`; an identity token replaces the password.
    public struct AuthEntry: Sendable, Hashable {
        public var username: String?
        public var password: String?
        public var identityToken: String?
    }

    public var directory: String
    public var currentContext: String?
    public var auths: [String: AuthEntry] = [:]
    public var credsStore: String?
    public var credHelpers: [String: String] = [:]

    /// `--config DIR`, else `DOCKER_CONFIG`, else `~/.docker`.
    public static func directory(flag: String?, environment: [String: String]) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let dir = environment["DOCKER_CONFIG"], !dir.isEmpty { return dir }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.docker"
    }

    public static func load(directory: String) throws -> DockerConfigFile {
        var config = DockerConfigFile(directory: directory)
        let path = directory + "/config.json"
        guard let data = FileManager.default.contents(atPath: path) else { return config }
        let root: JSONValue
        do { root = try JSONValue.parse(data) } catch {
            throw EndpointError.malformed(path: path, reason: "\(error)")
        }
        config.currentContext = root["currentContext"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        config.credsStore = root["credsStore"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        for (registry, helper) in root["credHelpers"]?.object ?? [:] {
            if let helper = helper.string, !helper.isEmpty { config.credHelpers[registry] = helper }
        }
        for (registry, entry) in root["auths"]?.object ?? [:] {
            var auth = AuthEntry(username: entry["username"]?.string, password: entry["password"]?.string,
                                 identityToken: entry["identitytoken"]?.string)
            if let encoded = entry["auth"]?.string, !encoded.isEmpty {
                guard let decoded = Data(base64Encoded: encoded).map({ String(decoding: $0, as: UTF8.self) }),
                      let colon = decoded.firstIndex(of: ":") else {
                    throw EndpointError.malformed(path: path, reason: "the 'auth' of '\(registry)' is not base64 of 'user:password'")
                }
                auth.username = String(decoded[..<colon])
                auth.password = String(decoded[decoded.index(after: colon)...])
            }
            config.auths[registry] = auth
        }
        return config
    }
}
