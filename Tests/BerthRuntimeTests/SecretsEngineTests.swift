import DockerEngine
import Foundation
import Testing

/// Secrets and configs on the real engine, as docker compose puts them in (`pkg/compose/create.go` binds file
/// sources read-only; `secrets.go` writes environment and content sources before start, default mode 0444).
@Suite(.serialized) struct SecretsEngineTests {
    static let yaml = """
    services:
      a:
        image: busybox:1.36
        command: [sleep, "60"]
        init: true
        secrets:
          - token
          - {source: api_key, target: api.key, uid: "1000", gid: "1000", mode: 0400}
        configs:
          - {source: app, target: /etc/app.conf, mode: 0440}
          - motd
    secrets:
      token: {file: ./token.txt}
      api_key: {environment: BERTH_TEST_API_KEY}
    configs:
      app: {content: "port=${BERTH_TEST_PORT:-8080}"}
      motd: {content: hello}
    """

    func exec(_ container: String, _ script: String) throws -> String {
        try CIIntegrationTests.shell(["docker", "exec", container, "sh", "-c", script], in: URL(fileURLWithPath: "/")).out
    }

    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "secrets: need a Docker engine and the docker CLI"))
    func secretsAndConfigsAreInTheContainer() throws {
        let project = try EngineProject(Self.yaml, extra: ["token.txt": "s3cret\n"])
        let environment = ["BERTH_TEST_API_KEY": "abc123"]
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name], environment: environment) }
        let up = try project.berth(["up", "-d", "-p", project.name], environment: environment)
        #expect(up.status == 0, "\(up.err)")
        let container = "\(project.name)-a-1"
        #expect(try exec(container, "cat /run/secrets/token") == "s3cret\n")  // a file source: /run/secrets/<source>
        #expect(try exec(container, "cat /run/secrets/api.key") == "abc123")  // a relative target is under /run/secrets
        #expect(try exec(container, "stat -c '%a %u %g' /run/secrets/api.key") == "400 1000 1000\n")
        #expect(try exec(container, "cat /etc/app.conf") == "port=8080")  // content is interpolated
        #expect(try exec(container, "stat -c '%a' /etc/app.conf /motd") == "440\n444\n")  // configs at / by default
        #expect(try exec(container, "echo x > /run/secrets/token 2>&1 || echo read-only").contains("read-only"))
        // The content is part of the hash: another value recreates the container, the same keeps it.
        let same = try project.berth(["plan", "-p", project.name], environment: environment)
        #expect(same.out.contains("keep"), "\(same.out)")
        let changed = try project.berth(["plan", "-p", project.name], environment: ["BERTH_TEST_API_KEY": "other"])
        #expect(changed.out.contains("recreate (changed: secret-and-config-contents)"), "\(changed.out)")
    }

    /// What Compose refuses at create or start, `check` refuses first, each at its line.
    @Test func checkRefusesWhatWouldFail() throws {
        let project = try EngineProject("""
        services:
          a:
            image: busybox:1.36
            read_only: true
            secrets: [inline, missing_file, {source: token, uid: "1"}]
            configs: [outside]
        secrets:
          inline: {content: x}
          missing_file: {file: ./nope.txt}
          token: {file: ./token.txt}
          unset: {environment: BERTH_SURELY_UNSET_VARIABLE}
        configs:
          outside: {external: true}
        """, extra: ["token.txt": "t"])
        let check = try project.berth(["check", "--no-engine", "--no-host-scan", "--format", "json"])
        #expect(check.status == 1)
        let document = try JSONValue.parse(Data(check.out.utf8))
        let items: [JSONValue] = document["diagnostics"]?.array ?? []
        let found: [String] = items.map { item in
            let code = item["code"]?.string ?? ""
            let severity = item["severity"]?.string ?? ""
            let line = item["location"]?["line"]?.int ?? 0
            return "\(code) \(severity) \(line)"
        }
        #expect(found.contains("invalid-value error 5"), "\(found)")  // content source on read_only
        #expect(found.contains("file-not-found error 9"), "\(found)")
        #expect(found.contains("unsupported-key warning 5"), "\(found)")  // uid on a bind-mounted file
        #expect(found.contains("missing-variable error 11"), "\(found)")
        #expect(found.contains("unsupported-key error 13"), "\(found)")  // external outside Swarm
    }
}
