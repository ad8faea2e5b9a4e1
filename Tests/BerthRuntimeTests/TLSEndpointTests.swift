import DockerEngine
import Foundation
import Testing

/// A second, real engine that only speaks TLS with client certificates (`scripts/start-tls-engine.sh`: a dockerd in
/// its own network namespace at tcp://10.214.0.11:2376): reached through `DOCKER_HOST` with `DOCKER_TLS_VERIFY` and
/// `DOCKER_CERT_PATH`, and through a docker context made by the docker CLI.
@Suite(.serialized) struct TLSEndpointTests {
    static let host = "tcp://10.214.0.11:2376"
    static let certs = "/var/lib/berth-tls/certs"
    static let environment = ["DOCKER_HOST": host, "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": certs]
    static let available: Bool = {
        guard FileManager.default.fileExists(atPath: certs + "/ca.pem") else { return false }
        let result = try? EngineProject.berth(["version"], in: URL(fileURLWithPath: "/"), environment: environment)
        return result?.status == 0 && (try? CIIntegrationTests.shell(["docker", "--tlsverify", "-H", host, "--tlscacert", certs + "/ca.pem",
                                                                      "--tlscert", certs + "/cert.pem", "--tlskey", certs + "/key.pem", "version"],
                                                                     in: URL(fileURLWithPath: "/")).status) == 0
    }()

    @Test(.enabled(if: available, "TLS endpoint: needs scripts/start-tls-engine.sh and the docker CLI"))
    func dockerHostWithTLS() throws {
        let project = try EngineProject("services:\n  a: {image: busybox:1.36, command: [sleep, \"60\"], init: true}\n")
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name], environment: Self.environment) }
        let check = try project.berth(["check", "-p", project.name], environment: Self.environment)
        #expect(check.status == 0, "\(check.err)")
        #expect(check.err.contains("host-port scan is off") && check.err.contains(Self.host), "\(check.err)")
        #expect(try project.berth(["up", "-d", "-p", project.name], environment: Self.environment).status == 0)
        let ps = try project.berth(["ps", "-p", project.name], environment: Self.environment)
        #expect(ps.out.contains("\(project.name)-a-1"), "\(ps.out)\(ps.err)")
        // It runs on the TLS engine, not on the local one.
        let local = try project.berth(["ps", "-p", project.name])
        #expect(!local.out.contains("\(project.name)-a-1"), "\(local.out)")
        // exec's hijacked stream speaks TLS too, both ways.
        let input = project.directory.appendingPathComponent("input.txt")
        try Data("over tls\n".utf8).write(to: input)
        let exec = try project.berth(["exec", "-T", "-p", project.name, "a", "sh", "-c", "cat; exit 4"], environment: Self.environment, stdin: input)
        #expect(exec.status == 4 && exec.out == "over tls\n", "\(exec.out)\(exec.err)")
        // The same engine through a context the docker CLI made.
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("berth-tls-config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: config) }
        let created = try CIIntegrationTests.shell(["docker", "context", "create", "tls",
                                                    "--docker", "host=\(Self.host),ca=\(Self.certs)/ca.pem,cert=\(Self.certs)/cert.pem,key=\(Self.certs)/key.pem"],
                                                   in: project.directory, environment: ["DOCKER_CONFIG": config.path])
        #expect(created.status == 0, "\(created.out)")
        let viaContext = try project.berth(["--context", "tls", "ps", "-p", project.name], environment: ["DOCKER_CONFIG": config.path])
        #expect(viaContext.out.contains("\(project.name)-a-1"), "\(viaContext.out)\(viaContext.err)")
        let viaEnvironment = try project.berth(["ps", "-p", project.name], environment: ["DOCKER_CONFIG": config.path, "DOCKER_CONTEXT": "tls"])
        #expect(viaEnvironment.out.contains("\(project.name)-a-1"))
    }

    /// Without the client certificate, or trusting another CA, the engine is not reached, and the error says so.
    @Test(.enabled(if: available, "TLS endpoint: needs scripts/start-tls-engine.sh"))
    func tlsFailuresAreClear() throws {
        let project = try EngineProject("services:\n  a: {image: busybox:1.36}\n")
        let partial = FileManager.default.temporaryDirectory.appendingPathComponent("berth-tls-partial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: partial) }
        try FileManager.default.copyItem(atPath: Self.certs + "/ca.pem", toPath: partial.appendingPathComponent("ca.pem").path)
        let noClientCert = try project.berth(["ps", "-p", project.name], environment: ["DOCKER_HOST": Self.host, "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": partial.path])
        #expect(noClientCert.status == 1 && noClientCert.err.contains(Self.host), "\(noClientCert.err)")
        let plain = try project.berth(["ps", "-p", project.name], environment: ["DOCKER_HOST": Self.host])
        #expect(plain.status == 1, "\(plain.out)\(plain.err)")
        #expect(plain.err.contains("Client sent an HTTP request to an HTTPS server"), "\(plain.out)\(plain.err)")
    }
}
