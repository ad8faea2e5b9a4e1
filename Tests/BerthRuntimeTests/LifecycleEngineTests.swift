import DockerEngine
import Foundation
import Testing

/// `stop`, `start`, `restart`, `kill`, `pause` and `unpause` on a running stack, checked with the engine's own view
/// (`docker inspect`), and `plan` afterwards: each acts only on existing containers, and a stack put back to running
/// has nothing left to do.
@Suite(.serialized) struct LifecycleEngineTests {
    static func state(_ name: String) throws -> (status: String, started: String) {
        let out = try CIIntegrationTests.shell(["docker", "inspect", "-f", "{{.State.Status}} {{.State.StartedAt}}", name], in: URL(fileURLWithPath: "/")).out
        let parts = out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        return (parts.first.map(String.init) ?? "", parts.dropFirst().first.map(String.init) ?? "")
    }

    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "lifecycle: needs a Docker engine and the docker CLI"))
    func lifecycleCommandsActOnExistingContainers() throws {
        let project = try EngineProject("""
        services:
          db: {image: busybox:1.36, init: true, command: [sleep, "300"]}
          web:
            image: busybox:1.36
            init: true
            command: [sleep, "300"]
            depends_on: [db]
            deploy: {replicas: 2}
            volumes: ["./out:/out"]
            pre_stop: [{command: [sh, -c, "echo stopped >> /out/hooks"]}]
        """, extra: ["out/.keep": ""])
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let n = project.name
        #expect(try project.berth(["up", "-d", "-p", n]).status == 0)

        let stop = try project.berth(["stop", "-t", "1", "-p", n, "web"])
        #expect(stop.status == 0, "\(stop.err)")
        #expect(try Self.state("\(n)-web-1").status == "exited" && Self.state("\(n)-web-2").status == "exited")
        #expect(try Self.state("\(n)-db-1").status == "running")
        let hooks = try String(contentsOf: project.directory.appendingPathComponent("out/hooks"), encoding: .utf8)
        #expect(hooks == "stopped\nstopped\n", "each replica's pre_stop ran: \(hooks)")

        #expect(try project.berth(["start", "-p", n]).status == 0)
        #expect(try Self.state("\(n)-web-2").status == "running")
        #expect(try project.berth(["plan", "-p", n]).status == 0, "a stack back to running has nothing to do")

        #expect(try project.berth(["pause", "-p", n, "db"]).status == 0)
        #expect(try Self.state("\(n)-db-1").status == "paused")
        #expect(try project.berth(["unpause", "-p", n]).status == 0)
        #expect(try Self.state("\(n)-db-1").status == "running")

        let before = try Self.state("\(n)-db-1").started
        #expect(try project.berth(["restart", "-t", "1", "-p", n, "db"]).status == 0)
        #expect(try Self.state("\(n)-db-1").started != before)

        #expect(try project.berth(["kill", "-s", "SIGTERM", "-p", n, "web"]).status == 0)
        for _ in 0..<50 where try Self.state("\(n)-web-1").status != "exited" { Thread.sleep(forTimeInterval: 0.1) }
        #expect(try Self.state("\(n)-web-1").status == "exited" && Self.state("\(n)-db-1").status == "running")

        let unknown = try project.berth(["stop", "-p", n, "nosuch"])
        #expect(unknown.status != 0 && unknown.err.contains("nosuch"), "\(unknown.err)")
    }

    /// `start --wait`, `restart` with the dependents that ask for it (`restart: true`) unless `--no-deps`,
    /// `kill --remove-orphans`, and `down --rmi local` (the image built for the project goes, a pulled one stays).
    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "lifecycle flags: needs a Docker engine and the docker CLI"))
    func lifecycleFlagsFollowCompose() throws {
        let project = try EngineProject("""
        services:
          db: {image: busybox:1.36, init: true, command: [sleep, "300"], healthcheck: {test: [CMD, "true"], interval: 1s}}
          web:
            build: {context: ., dockerfile_inline: "FROM busybox:1.36\\nCMD [\\"sleep\\", \\"300\\"]\\n"}
            init: true
            depends_on: {db: {condition: service_started, restart: true}}
          other: {image: busybox:1.36, init: true, command: [sleep, "300"], depends_on: [db]}
        """)
        let n = project.name
        defer { _ = try? project.berth(["-p", n, "down", "-t", "0", "--rmi", "local"]) }
        func berth(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) { try project.berth(["-p", n] + arguments) }
        #expect(try berth(["up", "-d"]).status == 0)
        let labels = try CIIntegrationTests.shell(["docker", "image", "inspect", "-f", "{{index .Config.Labels \"com.docker.compose.project\"}}", "\(n)-web"],
                                                  in: project.directory).out
        #expect(labels == "\(n)\n", "the built image carries Compose's project label")

        #expect(try berth(["stop", "-t", "1"]).status == 0)
        let started = try berth(["start", "--wait"])
        #expect(started.status == 0, "\(started.err)")
        #expect(try Self.state("\(n)-db-1").status == "running")
        #expect(try RunEngineTests.inspect("{{.State.Health.Status}}", "\(n)-db-1") == "healthy", "start --wait returned once db was healthy")

        let web = try Self.state("\(n)-web-1").started, other = try Self.state("\(n)-other-1").started
        #expect(try berth(["restart", "-t", "1", "db"]).status == 0)
        #expect(try Self.state("\(n)-web-1").started != web, "web depends on db with restart: true")
        #expect(try Self.state("\(n)-other-1").started == other, "other depends on db without restart: true")
        let web2 = try Self.state("\(n)-web-1").started
        #expect(try berth(["restart", "--no-deps", "-t", "1", "db"]).status == 0)
        #expect(try Self.state("\(n)-web-1").started == web2, "--no-deps restarts db alone")

        let orphan = "\(n)-gone-1"
        _ = try CIIntegrationTests.shell(["docker", "run", "-d", "--name", orphan, "--label", "com.docker.compose.project=\(n)", "--label", "com.docker.compose.service=gone",
                                          "--label", "com.docker.compose.oneoff=False", "--label", "com.docker.compose.config-hash=0", "busybox:1.36", "sleep", "300"], in: project.directory)
        #expect(try berth(["kill", "db"]).status == 0)
        #expect(try Self.state(orphan).status == "running", "kill leaves the orphan without --remove-orphans")
        #expect(try berth(["kill", "--remove-orphans"]).status == 0)
        for _ in 0..<50 where try Self.state(orphan).status != "exited" { Thread.sleep(forTimeInterval: 0.1) }
        #expect(try Self.state(orphan).status == "exited")

        let down = try berth(["down", "-t", "0", "--rmi", "local"])
        #expect(down.status == 0 && down.err.contains("Image \(n)-web  Removed"), "\(down.err)")
        #expect(try CIIntegrationTests.shell(["docker", "image", "inspect", "\(n)-web"], in: project.directory).status != 0)
        #expect(try CIIntegrationTests.shell(["docker", "image", "inspect", "busybox:1.36"], in: project.directory).status == 0, "a pulled image stays with local")
    }
}
