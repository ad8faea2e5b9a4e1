import BerthCommands
import DockerEngine
import Foundation
import Testing

/// A day's work on a real stack, as a `docker compose` user does it, each effect checked on the engine: up --wait, a
/// migration with `run --rm`, `exec` fed from stdin and with its flags, stop/start/restart (by start times), logs,
/// top, port, pause/unpause, kill -s, rm -f, ps and config listings, help, and down -v.
@Suite(.serialized) struct DayOfWorkTests {
    static let stack = """
    services:
      db:
        image: busybox:1.36
        init: true
        command: [sh, -c, "echo db ready; sleep 3600"]
        healthcheck: {test: [CMD, "true"], interval: 1s}
        volumes: ["data:/data"]
      web:
        image: busybox:1.36
        init: true
        command: [sh, -c, "echo web up; httpd -f -p 80 -h /www"]
        depends_on: {db: {condition: service_healthy}}
        ports: ["127.0.0.1::80"]
        volumes: ["./www:/www"]
      migrate:
        image: busybox:1.36
        profiles: [tools]
        depends_on: [db]
        volumes: ["data:/data"]
        command: [sh, -c, "echo applied > /data/schema; exit 0"]
    volumes:
      data: {}
    """

    static func started(_ container: String) throws -> String {
        try RunEngineTests.inspect("{{.State.StartedAt}}", container)
    }

    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "day of work: needs a Docker engine and the docker CLI"))
    func aDayOfWork() throws {
        let project = try EngineProject(Self.stack, extra: ["www/index.html": "hello from web\n"])
        let n = project.name
        defer { _ = try? project.berth(["-p", n, "down", "-v", "-t", "0"]) }
        func berth(_ arguments: [String], stdin: URL? = nil) throws -> (status: Int32, out: String, err: String) {
            try project.berth(["-p", n] + arguments, stdin: stdin)
        }

        let up = try berth(["up", "--wait"])
        #expect(up.status == 0, "\(up.err)")
        #expect(try RunEngineTests.inspect("{{.State.Health.Status}}", "\(n)-db-1") == "healthy")

        // A migration in a profile, run by name; its exit code is run's, and it wrote to the shared volume.
        let migration = try berth(["run", "--rm", "migrate"])
        #expect(migration.status == 0, "\(migration.err)")
        #expect(try berth(["exec", "-T", "db", "cat", "/data/schema"]).out == "applied\n")
        #expect(try berth(["run", "--rm", "migrate", "sh", "-c", "exit 4"]).status == 4)

        // exec: stdin from a file, and -e, -w, -u.
        let sql = project.directory.appendingPathComponent("dump.sql")
        try Data("insert 1;\ninsert 2;\n".utf8).write(to: sql)
        let restored = try berth(["exec", "-T", "db", "sh", "-c", "cat > /data/dump; wc -l < /data/dump"], stdin: sql)
        #expect(restored.out.trimmingCharacters(in: .whitespaces) == "2\n", "\(restored.out)\(restored.err)")
        #expect(try berth(["exec", "-T", "-e", "K=v", "-w", "/data", "-u", "nobody", "db", "sh", "-c", "echo $K $(pwd) $(whoami)"]).out == "v /data nobody\n")

        // port, then the page through it.
        let port = try berth(["port", "web", "80"])
        #expect(port.status == 0 && port.out.hasPrefix("127.0.0.1:"), "\(port.out)\(port.err)")
        let hostPort = Int(port.out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").last ?? "") ?? 0
        #expect(httpGet(port: hostPort)?.contains("hello from web") == true)
        #expect(try berth(["port", "web", "81"]).err.contains("no port 81/tcp for container \(n)-web-1"))

        // top lists the service's processes.
        let top = try berth(["top", "web"])
        #expect(top.out.hasPrefix("SERVICE") && top.out.contains("httpd -f -p 80"), "\(top.out)")

        // stop, start and restart, by the engine's start times.
        let first = try Self.started("\(n)-web-1")
        #expect(try berth(["stop", "-t", "1", "web"]).status == 0)
        #expect(try RunEngineTests.inspect("{{.State.Status}}", "\(n)-web-1") == "exited")
        #expect(try berth(["start", "web"]).status == 0)
        let second = try Self.started("\(n)-web-1")
        #expect(second != first)
        #expect(try berth(["restart", "-t", "1", "web"]).status == 0)
        #expect(try Self.started("\(n)-web-1") != second)

        // logs: --no-log-prefix, -t (the engine's timestamps) and --since.
        let plain = try berth(["logs", "--no-log-prefix", "db"])
        #expect(plain.out == "db ready\n", "\(plain.out)")
        let stamped = try berth(["logs", "-t", "db"])
        #expect(stamped.out.hasPrefix("db-1  | 20") && stamped.out.hasSuffix("Z db ready\n"), "\(stamped.out)")
        #expect(try berth(["logs", "--since", "2030-01-01T00:00:00Z", "db"]).out.isEmpty, "nothing after --since")
        #expect(try berth(["logs", "web"]).out.components(separatedBy: "web up").count == 4, "three starts, three lines")

        // pause and unpause; kill -s.
        #expect(try berth(["pause", "db"]).status == 0)
        #expect(try RunEngineTests.inspect("{{.State.Status}}", "\(n)-db-1") == "paused")
        #expect(try berth(["ps", "--status", "paused", "--services"]).out == "db\n")
        #expect(try berth(["unpause", "db"]).status == 0)
        #expect(try berth(["kill", "-s", "SIGTERM", "web"]).status == 0)
        for _ in 0..<50 where try RunEngineTests.inspect("{{.State.Status}}", "\(n)-web-1") != "exited" { Thread.sleep(forTimeInterval: 0.1) }

        // ps: -q, --services, --status, --format json.
        let running = try berth(["ps", "-q"])
        #expect(running.out.split(separator: "\n").map(\.count) == [64], "only db runs: \(running.out)")
        #expect(try berth(["ps", "--services"]).out == "db\n")
        #expect(try berth(["ps", "-a", "--status", "exited", "--services"]).out == "web\n")
        let line = try berth(["ps", "--format", "json", "db"]).out
        let object = try #require(try? JSONValue.parse(Data(line.utf8)))
        #expect(object["ID"]?.string?.count == 12 && object["Name"]?.string == "\(n)-db-1" && object["Service"]?.string == "db")
        #expect(object["ExitCode"]?.int == 0 && object["State"]?.string == "running" && object["Publishers"]?.array != nil)

        // cp both ways, ls, images, version.
        #expect(try berth(["cp", "dump.sql", "db:/data/copied.sql"]).status == 0)
        #expect(try berth(["exec", "-T", "db", "cat", "/data/copied.sql"]).out == "insert 1;\ninsert 2;\n")
        #expect(try berth(["cp", "db:/data/schema", "schema.txt"]).status == 0)
        #expect(try String(contentsOf: project.directory.appendingPathComponent("schema.txt"), encoding: .utf8) == "applied\n")
        #expect(try project.berth(["ls", "-q", "--filter", "name=^\(n)$"]).out == "\(n)\n")
        #expect(try berth(["images"]).out.contains("\(n)-db-1"))
        #expect(try project.berth(["version", "--short"]).out == "\(BerthCommand.version)\n")

        // rm -f removes the stopped container; config listings; help.
        let removed = try berth(["rm", "-f", "web"])
        #expect(removed.status == 0 && removed.out.contains("Going to remove \(n)-web-1"), "\(removed.out)\(removed.err)")
        #expect(try berth(["ps", "-a", "--services"]).out == "db\n")
        #expect(try berth(["config", "--services"]).out == "db\nweb\n")
        #expect(try berth(["config", "--images"]).out == "busybox:1.36\nbusybox:1.36\n")
        #expect(try berth(["config", "--volumes"]).out == "data\n")
        let hash = try berth(["config", "--hash", "db"]).out
        #expect(hash == "db \(try RunEngineTests.inspect("{{index .Config.Labels \"com.docker.compose.config-hash\"}}", "\(n)-db-1"))\n", "\(hash)")
        let help = try project.berth(["help", "up"])
        #expect(help.status == 0 && help.out.contains("--force-recreate"), "\(help.err)")

        // up --exit-code-from: the one-shot's code is up's.
        let exitCode = try berth(["--profile", "tools", "up", "--exit-code-from", "migrate", "migrate"])
        #expect(exitCode.status == 0 && exitCode.out.contains("migrate-1 exited with code 0"), "\(exitCode.out)\(exitCode.err)")

        // down -v takes the named volume with it.
        #expect(try berth(["down", "-v", "-t", "0"]).status == 0)
        let volumes = try CIIntegrationTests.shell(["docker", "volume", "ls", "-q", "--filter", "name=\(n)_data"], in: project.directory).out
        #expect(volumes.isEmpty, "\(volumes)")
    }
}
