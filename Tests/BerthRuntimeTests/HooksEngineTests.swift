import DockerEngine
import Foundation
import Testing

/// `post_start` and `pre_stop` run through the engine's exec, as docker compose runs them (pkg/compose/hook.go): with
/// the hook's user, working directory and environment; a failing hook is an error at its line with its status and
/// output.
@Suite(.serialized) struct HooksEngineTests {
    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "hooks: need a Docker engine and the docker CLI"))
    func hooksRunInTheContainer() throws {
        let project = try EngineProject("""
        services:
          app:
            image: busybox:1.36
            command: [sleep, "60"]
            init: true
            volumes: ["./out:/out"]
            post_start:
              - command: sh -c 'echo "$$WHO $$(id -u) $$(pwd)" > /tmp/started'
                user: nobody
                working_dir: /tmp
                environment: {WHO: hook}
            pre_stop:
              - command: [sh, -c, "echo stopping > /out/pre_stop"]
        """, extra: ["out/.keep": ""])
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let up = try project.berth(["up", "-d", "-p", project.name])
        #expect(up.status == 0, "\(up.err)")
        let started = try CIIntegrationTests.shell(["docker", "exec", "\(project.name)-app-1", "cat", "/tmp/started"], in: URL(fileURLWithPath: "/"))
        #expect(started.out.trimmingCharacters(in: .whitespacesAndNewlines) == "hook 65534 /tmp", "\(started.out)")
        let down = try project.berth(["down", "-t", "0", "-p", project.name])
        #expect(down.status == 0, "\(down.err)")
        let stopped = try? String(contentsOf: project.directory.appendingPathComponent("out/pre_stop"), encoding: .utf8)
        #expect(stopped == "stopping\n", "the pre_stop hook ran before the stop: \(stopped ?? "nothing")")
    }

    @Test(.enabled(if: Engine.available, "hooks: need a Docker engine"))
    func aFailingHookIsAnErrorAtItsLine() throws {
        let project = try EngineProject("""
        services:
          app:
            image: busybox:1.36
            command: [sleep, "60"]
            init: true
            post_start:
              - command: [sh, -c, "echo boom >&2; exit 3"]
        """)
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let up = try project.berth(["up", "-d", "-p", project.name])
        #expect(up.status != 0)
        #expect(up.err.contains("compose.yaml:7:") && up.err.contains("post_start hook exited with status 3") && up.err.contains("boom")
                && up.err.contains("[hook-failed]"), "\(up.err)")
    }
}
