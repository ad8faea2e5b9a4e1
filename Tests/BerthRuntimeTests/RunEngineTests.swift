import DockerEngine
import Foundation
import Testing

/// `run`: a one-off container made as `docker compose run` makes it (pkg/compose/run.go), after its dependencies
/// meet their conditions, checked with the engine's own view (`docker inspect`); its exit code is Berth's; stdin
/// from a file reaches it; and at a real terminal (tmux) it has a TTY.
@Suite(.serialized) struct RunEngineTests {
    static let stack = """
    services:
      db:
        image: busybox:1.36
        init: true
        command: [sh, -c, "sleep 1; touch /tmp/ready; sleep 600"]
        healthcheck: {test: [CMD, test, -f, /tmp/ready], interval: 1s}
      app:
        image: busybox:1.36
        init: true
        command: [sleep, "600"]
        depends_on: {db: {condition: service_healthy}}
        ports: ["127.0.0.1::80"]
        restart: always
        environment: {GREETING: hello}
        networks: {default: {aliases: [application]}}
      tool:
        image: busybox:1.36
        profiles: [tools]
        command: [echo, tool ran]
    """

    static func inspect(_ format: String, _ container: String) throws -> String {
        try CIIntegrationTests.shell(["docker", "inspect", "-f", format, container], in: URL(fileURLWithPath: "/")).out
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "run: needs a Docker engine and the docker CLI"))
    func runMakesAOneOffContainerAfterItsDependencies() throws {
        let project = try EngineProject(Self.stack, extra: ["migrate.sql": "create table t;\n"])
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let n = project.name

        // A migration: the dependency is healthy first, the exit code is run's, and --rm leaves nothing behind.
        let migration = try project.berth(["-p", n, "run", "--rm", "app", "sh", "-c", "echo $GREETING; exit 3"])
        #expect(migration.status == 3, "\(migration.err)")
        #expect(migration.out == "hello\n", "\(migration.out)")
        #expect(try Self.inspect("{{.State.Health.Status}}", "\(n)-db-1") == "healthy", "the dependency met its condition first")
        let left = try CIIntegrationTests.shell(["docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=\(n)", "--filter", "label=com.docker.compose.oneoff=True"],
                                                in: project.directory).out
        #expect(left.isEmpty, "--rm removed the one-off container: \(left)")

        // Stdin from a file (a dump fed to a one-off client).
        let fed = try project.berth(["-p", n, "run", "--rm", "-T", "app", "wc", "-c"], stdin: project.directory.appendingPathComponent("migrate.sql"))
        #expect(fed.out.trimmingCharacters(in: .whitespacesAndNewlines) == "16", "\(fed.out) \(fed.err)")

        // -d prints the container's full ID; the container is named and labelled as Compose's one-offs.
        let detached = try project.berth(["-p", n, "run", "-d", "-e", "EXTRA=1", "-w", "/tmp", "-u", "1000", "-l", "purpose=test", "-v", "./:/src:ro",
                                          "-p", "127.0.0.1::81", "app", "sleep", "60"])
        #expect(detached.status == 0, "\(detached.err)")
        let id = detached.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 64 && id.allSatisfy(\.isHexDigit), "\(detached.out)")
        let name = try Self.inspect("{{.Name}}", id)
        let slug = try Self.inspect("{{index .Config.Labels \"com.docker.compose.slug\"}}", id)
        #expect(slug.count == 64 && name == "/\(n)-app-run-\(slug.prefix(12))", "\(name) \(slug)")
        #expect(try Self.inspect("{{index .Config.Labels \"com.docker.compose.oneoff\"}}", id) == "True")
        #expect(try !Self.inspect("{{json .Config.Labels}}", id).contains("container-number"), "a one-off container has no number")
        #expect(try Self.inspect("{{index .Config.Labels \"purpose\"}}", id) == "test")
        #expect(try Self.inspect("{{.HostConfig.RestartPolicy.Name}}", id) == "", "a one-off container has no restart policy")
        #expect(try Self.inspect("{{json .HostConfig.PortBindings}}", id) == #"{"81/tcp":[{"HostIp":"127.0.0.1","HostPort":""}]}"#,
                "only -p is published, not the service's ports")
        #expect(try Self.inspect("{{json .NetworkSettings.Networks.\(n)_default.Aliases}}", id).contains("application") == false,
                "no service aliases without --use-aliases")
        #expect(try Self.inspect("{{.Config.User}} {{.Config.WorkingDir}}", id) == "1000 /tmp")
        #expect(try Self.inspect("{{range .Config.Env}}{{println .}}{{end}}", id).contains("EXTRA=1"))
        let source = try Self.inspect("{{range .Mounts}}{{.Destination}}={{.RW}}{{end}}", id)
        #expect(source == "/src=false", "\(source)")

        // --name, --entrypoint and -P (the service's own ports); the one-off keeps the service's aliases with --use-aliases.
        let named = try project.berth(["-p", n, "run", "-d", "--name", "\(n)-named", "-P", "--use-aliases", "--entrypoint", "sleep", "app", "60"])
        #expect(named.status == 0, "\(named.err)")
        #expect(try Self.inspect("{{json .Config.Entrypoint}} {{json .Config.Cmd}}", "\(n)-named") == #"["sleep"] ["60"]"#)
        #expect(try Self.inspect("{{json .HostConfig.PortBindings}}", "\(n)-named").contains(#""80/tcp""#))
        #expect(try Self.inspect("{{json .NetworkSettings.Networks.\(n)_default.Aliases}}", "\(n)-named").contains("application"))

        // A service in an inactive profile runs by name; an unknown service is refused by name.
        let tool = try project.berth(["-p", n, "run", "--rm", "tool"])
        #expect(tool.status == 0 && tool.out == "tool ran\n", "\(tool.out) \(tool.err)")
        let unknown = try project.berth(["-p", n, "run", "nosuch"])
        #expect(unknown.status == 1 && unknown.err.contains("no such service"), "\(unknown.err)")
        let bothPorts = try project.berth(["-p", n, "run", "-P", "-p", "1:1", "app"])
        #expect(bothPorts.status == 64 && bothPorts.err.contains("--service-ports and --publish are incompatible"), "\(bothPorts.err)")
        let badVolume = try project.berth(["-p", n, "run", "-v", "a:b:c:d", "app"])
        #expect(badVolume.status == 1 && badVolume.err.contains("<command line -v>") && badVolume.err.contains("invalid volume"), "\(badVolume.err)")
    }

    @Test(.enabled(if: Engine.available, "run -it: needs a Docker engine (scripts/start-engine.sh)"),
          .enabled(if: Tmux.available, "run -it: needs tmux (scripts/install-deps.sh)"))
    func interactiveRunHasATerminal() async throws {
        let project = try EngineProject("services:\n  shell: {image: busybox:1.36, command: [sleep, \"600\"]}\n")
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let session = "berth-run-\(project.name)"
        let command = "cd \(project.directory.path) && \(EngineProject.binary.path) -p \(project.name) run --rm shell sh; echo EXIT=$?; sleep 60"
        try Tmux.start(session, width: 150, height: 45, command)
        defer { Tmux.kill(session) }
        _ = try await Tmux.screen(session, showing: "/ #")
        try Tmux.type(session, "echo tty=$(tty) size=$(stty size)", "Enter")
        let shown = try await Tmux.screen(session, showing: "size=45 150")
        #expect(shown.contains("tty=/dev/pts/0 size=45 150"), "\(shown)")
        try Tmux.type(session, "exit 9", "Enter")
        let ended = try await Tmux.screen(session, showing: "EXIT=")
        #expect(ended.contains("EXIT=9"), "\(ended)")
    }
}
