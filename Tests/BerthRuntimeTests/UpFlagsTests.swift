import Foundation
import Testing

/// `up`'s Compose flags on a real engine: --attach, --no-attach, --attach-dependencies, --no-log-prefix, --timestamps,
/// --wait-timeout, --no-build, -t, --no-start, and --watch refused by name.
@Suite(.serialized) struct UpFlagsTests {
    static let stack = """
    services:
      a: {image: busybox:1.36, command: [sh, -c, "echo from-a; sleep 1"]}
      b: {image: busybox:1.36, command: [sh, -c, "echo from-b; sleep 1"], depends_on: [a]}
      c: {image: busybox:1.36, command: [sh, -c, "echo from-c; sleep 1"]}
      slow: {image: busybox:1.36, init: true, command: [sleep, "60"], healthcheck: {test: [CMD, "false"], interval: 1s, retries: 100}, profiles: [slow]}
      built: {build: {context: ., dockerfile_inline: "FROM busybox:1.36\\n"}, profiles: [built]}
    """

    @Test(.enabled(if: Engine.available, "up flags: needs a Docker engine (scripts/start-engine.sh)"))
    func upFollowsComposeFlags() throws {
        let project = try EngineProject(Self.stack)
        let n = project.name
        defer { _ = try? project.berth(["-p", n, "--profile", "*", "down", "-t", "0"]) }
        func berth(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) { try project.berth(["-p", n] + arguments) }

        let attached = try berth(["up", "--attach", "b", "--no-log-prefix"])
        #expect(attached.status == 0 && attached.out.contains("from-b\n") && !attached.out.contains("from-a") && !attached.out.contains("b-1  |"), "\(attached.out)")
        let dependencies = try berth(["up", "--attach-dependencies", "--no-attach", "c", "--timestamps", "b"])
        #expect(dependencies.out.contains("a-1  | 20") && dependencies.out.contains("Z from-a") && !dependencies.out.contains("from-c"), "\(dependencies.out)")
        #expect(try berth(["up", "--attach", "b", "--attach-dependencies"]).status == 64)

        let slow = try berth(["--profile", "slow", "up", "--wait", "--wait-timeout", "2", "slow"])
        #expect(slow.status == 1 && slow.err.contains("application not healthy after 2s"), "\(slow.err)")

        let noBuild = try berth(["--profile", "built", "up", "-d", "--no-build", "built"])
        #expect(noBuild.status == 1 && noBuild.err.contains("--no-build does not build it"), "\(noBuild.err)")

        #expect(try berth(["up", "--no-start", "--force-recreate", "c"]).status == 0)
        #expect(try RunEngineTests.inspect("{{.State.Status}}", "\(n)-c-1") == "created")
        let watch = try berth(["up", "--watch"])
        #expect(watch.status == 64 && watch.err.contains("berth does not support 'watch' yet"), "\(watch.err)")
    }
}
