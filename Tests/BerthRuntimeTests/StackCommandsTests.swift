import BerthCommands
import DockerEngine
import Foundation
import Testing

/// The project-wide commands on a real engine: create, up --no-start, scale, ls, images, version, wait, events, stats,
/// the global options (--dry-run, --progress and COMPOSE_PROGRESS, --ansi, --parallel, --compatibility) and shell
/// completion of service names.
@Suite(.serialized) struct StackCommandsTests {
    static let stack = """
    services:
      db: {image: busybox:1.36, init: true, command: [sleep, "600"]}
      web: {image: busybox:1.36, init: true, command: [sleep, "600"], depends_on: [db]}
      job: {image: busybox:1.36, command: [sh, -c, "sleep 1; exit 3"], profiles: [jobs]}
    """

    static func states(_ project: String) throws -> [String: String] {
        let out = try CIIntegrationTests.shell(["docker", "ps", "-a", "--filter", "label=com.docker.compose.project=\(project)", "--format", "{{.Names}} {{.State}}"],
                                               in: URL(fileURLWithPath: "/")).out
        return Dictionary(out.split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            return (String(parts[0]), String(parts.last ?? ""))
        }, uniquingKeysWith: { a, _ in a })
    }

    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "stack commands: needs a Docker engine and the docker CLI"))
    func projectCommands() throws {
        let project = try EngineProject(Self.stack)
        let n = project.name
        defer { _ = try? project.berth(["-p", n, "down", "-t", "0"]) }
        func berth(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
            try project.berth(["-p", n] + arguments, environment: environment)
        }

        // --dry-run: the plan, and nothing done.
        let dry = try berth(["--dry-run", "up", "-d"])
        #expect(dry.status == 0 && dry.out.contains("+ container \(n)-db-1  create") && dry.err.contains("dry run: nothing was done"), "\(dry.out)\(dry.err)")
        #expect(try Self.states(n).isEmpty)
        #expect(try berth(["--dry-run", "exec", "db", "true"]).status == 64)

        // create, and up --no-start: created, not started.
        #expect(try berth(["create"]).status == 0)
        #expect(try Self.states(n) == ["\(n)-db-1": "created", "\(n)-web-1": "created"])
        #expect(try berth(["up", "--no-start"]).status == 0)
        #expect(try Self.states(n)["\(n)-web-1"] == "created")

        // --parallel 1 and COMPOSE_PROGRESS=json: up still works, its progress is JSON lines.
        let up = try berth(["--parallel", "1", "up", "-d"], environment: ["COMPOSE_PROGRESS": "json"])
        #expect(up.status == 0 && up.err.contains(#""state":"started""#), "\(up.err)")
        let refused = try berth(["--ansi", "never", "--progress", "tty", "ps"])
        #expect(refused.status == 64 && refused.err.contains("can't use --progress tty while ANSI support is disabled"), "\(refused.err)")

        // scale, through the plan: a second replica.
        #expect(try berth(["scale", "web=2"]).status == 0)
        #expect(try Self.states(n)["\(n)-web-2"] == "running")
        #expect(try berth(["--dry-run", "stop", "web"]).out.contains("- container \(n)-web-2  stop"))
        #expect(try Self.states(n)["\(n)-web-2"] == "running", "the dry run stopped nothing")

        // ls, images, version.
        let listed = try project.berth(["ls", "--filter", "name=\(n)", "--format", "json"])
        let projects = try #require(try? JSONValue.parse(Data(listed.out.utf8)).array)
        #expect(projects.count == 1 && projects[0]["Name"]?.string == n && projects[0]["Status"]?.string == "running(3)", "\(listed.out)")
        #expect(projects[0]["ConfigFiles"]?.string == project.directory.appendingPathComponent("compose.yaml").path)
        #expect(try project.berth(["ls", "-q", "--filter", "name=\(n)"]).out == "\(n)\n")
        let images = try berth(["images"])
        #expect(images.out.hasPrefix("CONTAINER") && images.out.contains("\(n)-db-1") && images.out.contains("busybox"), "\(images.out)")
        #expect(try berth(["images", "-q"]).out.split(separator: "\n").map(\.count) == [64])
        let version = try project.berth(["version", "-f", "json"])
        let versions = try #require(try? JSONValue.parse(Data(version.out.utf8)))
        #expect(versions["version"]?.string == BerthCommand.version && versions["engine"]?["apiVersion"]?.string != nil, "\(version.out)")

        // stats --no-stream: one row per running container, the docker CLI's columns.
        let stats = try berth(["stats", "--no-stream", "--format", "json"])
        let rows = stats.out.split(separator: "\n").compactMap { try? JSONValue.parse(Data($0.utf8)) }
        #expect(rows.count == 3 && rows.allSatisfy { $0["CPUPerc"]?.string?.hasSuffix("%") == true && $0["MemUsage"]?.string?.contains(" / ") == true },
                "\(stats.out)")

        // events --json sees a restart; --until ends the stream.
        let since = Int(Date().timeIntervalSince1970) - 1
        #expect(try berth(["restart", "-t", "1", "db"]).status == 0)
        let events = try berth(["events", "--json", "--since", String(since), "--until", String(Int(Date().timeIntervalSince1970) + 1)])
        let actions = events.out.split(separator: "\n").compactMap { try? JSONValue.parse(Data($0.utf8)) }
        #expect(actions.contains { $0["action"]?.string == "start" && $0["service"]?.string == "db" && $0["type"]?.string == "container" }, "\(events.out)")
        #expect(actions.allSatisfy { ($0["attributes"]?.object ?? [:]).keys.allSatisfy { !$0.hasPrefix("com.docker.compose.") } })

        // wait: the exit code of the container that stops last.
        #expect(try berth(["run", "-d", "job"]).status == 0)
        #expect(try berth(["up", "-d", "job"]).status == 0)
        let waited = try berth(["wait", "job"])
        #expect(waited.status == 3 && waited.out.contains("exited with status code 3"), "\(waited.out)\(waited.err)")

        // --compatibility names containers as docker-compose 1 did.
        #expect(try berth(["--compatibility", "--dry-run", "up", "-d", "--force-recreate", "db"]).out.contains("\(n)_db_1"))

        // Shell completion lists the services of the files here, the inactive profile's too.
        let completion = try EngineProject.berth(["---completion", "exec", "--", "positional@0", "1", "0", "berth", "exec", ""], in: project.directory)
        #expect(completion.out == "db\njob\nweb\n", "\(completion.out)\(completion.err)")
    }

    /// A log the engine cannot read back (the `none` driver) is said so by name; `config --no-interpolate` and
    /// `--no-normalize` print the merged files, with and without their variables substituted.
    @Test(.enabled(if: Engine.available, "logs and config: needs a Docker engine (scripts/start-engine.sh)"))
    func unreadableLogsAndRawConfig() throws {
        let project = try EngineProject("""
        services:
          quiet: {image: "busybox:${TAG:-1.36}", init: true, command: [sleep, "60"], logging: {driver: none}}
        """)
        let n = project.name
        defer { _ = try? project.berth(["-p", n, "down", "-t", "0"]) }
        #expect(try project.berth(["-p", n, "up", "-d"]).status == 0)
        let logs = try project.berth(["-p", n, "logs", "quiet"])
        #expect(logs.err.contains("berth: cannot read the log of \(n)-quiet-1:"), "\(logs.err)")
        #expect(try project.berth(["config", "--no-interpolate"]).out.contains("busybox:${TAG:-1.36}"))
        let normalized = try project.berth(["config", "--no-normalize"], environment: ["TAG": "1.35"]).out
        #expect(normalized.contains("busybox:1.35") && normalized.contains("driver: none"), "\(normalized)")
    }
}
