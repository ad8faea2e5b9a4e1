import DockerEngine
import Foundation
import Testing

/// The engine endpoint is chosen as the docker CLI chooses it, from flags, the environment and config.json's
/// contexts; an endpoint Berth cannot use is an error, never the local socket.
@Suite struct EndpointTests {
    /// A temporary DOCKER_CONFIG with contexts written in the CLI's layout.
    struct ConfigDirectory {
        let path: String
        init(currentContext: String? = nil) throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("berth-config-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            if let currentContext { try Data("{\"currentContext\": \"\(currentContext)\"}".utf8).write(to: URL(fileURLWithPath: path + "/config.json")) }
        }

        func addContext(_ name: String, host: String, tls: Bool = false, skipVerify: Bool = false) throws {
            let id = EndpointResolver.contextID(name)
            let meta = "\(path)/contexts/meta/\(id)"
            try FileManager.default.createDirectory(atPath: meta, withIntermediateDirectories: true)
            try Data("{\"Name\":\"\(name)\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"\(host)\",\"SkipTLSVerify\":\(skipVerify)}}}".utf8)
                .write(to: URL(fileURLWithPath: meta + "/meta.json"))
            if tls {
                let dir = "\(path)/contexts/tls/\(id)/docker"
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                for file in ["ca.pem", "cert.pem", "key.pem"] { try Data("x".utf8).write(to: URL(fileURLWithPath: "\(dir)/\(file)")) }
            }
        }
    }

    @Test func contextNamesHashLikeTheCLI() {
        // sha256("default"), as `docker context` names the directory.
        #expect(EndpointResolver.contextID("default") == "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f")
    }

    @Test func precedence() throws {
        let config = try ConfigDirectory(currentContext: "fromconfig")
        try config.addContext("fromconfig", host: "tcp://10.0.0.1:2375")
        try config.addContext("fromenv", host: "tcp://10.0.0.2:2375")
        try config.addContext("fromflag", host: "unix:///run/other.sock")
        let base = ["DOCKER_CONFIG": config.path]
        func resolve(_ options: EndpointResolver.Options = .init(), _ environment: [String: String] = [:]) throws -> String {
            try EndpointResolver.resolve(options, environment: base.merging(environment) { $1 }).spoken
        }
        #expect(try resolve() == "tcp://10.0.0.1:2375 (docker context 'fromconfig')")
        #expect(try resolve(.init(), ["DOCKER_CONTEXT": "fromenv"]) == "tcp://10.0.0.2:2375 (docker context 'fromenv')")
        // DOCKER_HOST wins over DOCKER_CONTEXT and the current context; --context over everything.
        #expect(try resolve(.init(), ["DOCKER_CONTEXT": "fromenv", "DOCKER_HOST": "tcp://10.0.0.3"]) == "tcp://10.0.0.3:2375")
        #expect(try resolve(.init(context: "fromflag"), ["DOCKER_HOST": "tcp://10.0.0.3"]) == "unix:///run/other.sock (docker context 'fromflag')")
        #expect(try resolve(.init(host: "tcp://[::1]:2376")) == "tcp://[::1]:2376")
        #expect(try resolve(.init(context: "default")) == "unix:///var/run/docker.sock")
        #expect(throws: EndpointError.conflictingOptions) { try resolve(.init(host: "tcp://x:1", context: "fromflag")) }
    }

    @Test func unusableEndpointsAreErrorsThatSaySo() throws {
        let config = try ConfigDirectory()
        try config.addContext("remote", host: "ssh://deploy@build-host")
        let environment = ["DOCKER_CONFIG": config.path]
        #expect(throws: EndpointError.unsupportedScheme(endpoint: "ssh://deploy@build-host", context: "remote")) {
            try EndpointResolver.resolve(.init(context: "remote"), environment: environment)
        }
        #expect(throws: EndpointError.unsupportedScheme(endpoint: "npipe:////./pipe/docker_engine", context: "default")) {
            try EndpointResolver.resolve(.init(), environment: environment.merging(["DOCKER_HOST": "npipe:////./pipe/docker_engine"]) { $1 })
        }
        #expect(throws: EndpointError.self) { try EndpointResolver.resolve(.init(context: "missing"), environment: environment) }
        #expect(throws: EndpointError.invalidHost("localhost:2375")) { try EndpointResolver.resolve(.init(host: "localhost:2375"), environment: environment) }
        // DOCKER_TLS_VERIFY without a CA is refused, not downgraded to plain TCP.
        #expect(throws: EndpointError.self) {
            try EndpointResolver.resolve(.init(), environment: environment.merging(["DOCKER_HOST": "tcp://10.0.0.1:2376", "DOCKER_TLS_VERIFY": "1"]) { $1 })
        }
    }

    @Test func tlsMaterialComesFromTheContextOrTheCertPath() throws {
        let config = try ConfigDirectory()
        try config.addContext("secure", host: "tcp://10.1.0.1:2376", tls: true)
        try config.addContext("lax", host: "tcp://10.1.0.2", tls: true, skipVerify: true)
        let environment = ["DOCKER_CONFIG": config.path]
        let secure = try EndpointResolver.resolve(.init(context: "secure"), environment: environment)
        #expect(secure.tls?.verify == true && secure.tls?.caFile?.hasSuffix("/docker/ca.pem") == true)
        #expect(!secure.isLocal)
        let lax = try EndpointResolver.resolve(.init(context: "lax"), environment: environment)
        #expect(lax.tls?.verify == false && lax.description == "tcp://10.1.0.2:2376")
        for file in ["ca.pem", "cert.pem", "key.pem"] { try Data("x".utf8).write(to: URL(fileURLWithPath: "\(config.path)/\(file)")) }
        let fromEnvironment = try EndpointResolver.resolve(.init(), environment: environment.merging(["DOCKER_HOST": "tcp://10.1.0.3:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": config.path]) { $1 })
        #expect(fromEnvironment.tls == DockerEndpoint.TLS(caFile: config.path + "/ca.pem", certFile: config.path + "/cert.pem", keyFile: config.path + "/key.pem", verify: true))
    }

    /// Credentials as the CLI finds them: `auths` (any spelling of the registry), a per-registry helper first.
    @Test func registryCredentials() throws {
        let config = try ConfigDirectory()
        let auth = Data("berth:berth-secret".utf8).base64EncodedString()
        try Data("{\"auths\": {\"https://127.0.0.1:5001/v2/\": {\"auth\": \"\(auth)\"}, \"127.0.0.1:5002\": {}}, \"credHelpers\": {\"127.0.0.1:5003\": \"nonexistent-helper\"}}".utf8)
            .write(to: URL(fileURLWithPath: config.path + "/config.json"))
        let file = try DockerConfigFile.load(directory: config.path)
        let found = try RegistryAuth.resolve(registry: "127.0.0.1:5001", config: file)
        #expect(found?.username == "berth" && found?.password == "berth-secret")
        #expect(try RegistryAuth.resolve(registry: "127.0.0.1:5002", config: file) == nil)
        #expect(throws: RegistryAuthError.self) { try RegistryAuth.resolve(registry: "127.0.0.1:5003", config: file) }
        #expect(RegistryAuth.registry(of: "127.0.0.1:5001/busybox:1.36") == "127.0.0.1:5001")
        #expect(RegistryAuth.registry(of: "library/busybox") == "docker.io")
        #expect(RegistryAuth.serverKey("docker.io") == "https://index.docker.io/v1/")
        // base64url with padding, as the engine needs (unpadded is read as no credentials).
        let header = try #require(found?.header)
        #expect(!header.contains("+") && !header.contains("/") && header.count % 4 == 0)
    }

    @Test func imageReferences() {
        let digest = "sha256:" + String(repeating: "a", count: 64)
        #expect(ImageReference("127.0.0.1:5000/busybox@\(digest)") == ImageReference(name: "127.0.0.1:5000/busybox", tag: nil, digest: digest))
        #expect(ImageReference("127.0.0.1:5000/busybox@\(digest)").apiTag == digest)
        #expect(ImageReference("127.0.0.1:5000/busybox").apiTag == "latest")
        #expect(ImageReference("busybox:1.36").tag == "1.36")
        #expect(ImageReference("a/b:1@\(digest)").name == "a/b")
    }
}

extension ImageReference {
    init(name: String, tag: String?, digest: String?) {
        self.init(name)
        self.name = name
        self.tag = tag
        self.digest = digest
    }
}
