@testable import BerthRuntime
import DockerEngine
import Foundation
import Testing

/// For each option this engine refuses at create or start, `check` reports the error at its line, and `up --no-check`
/// really fails: the check predicts the engine, it does not guess. (Each refusal was first seen by hand on this
/// engine: docs/engines-and-registries.md.)
@Suite(.serialized) struct EnginePredictionTests {
    static let cases: [(name: String, lines: String, code: String, line: Int)] = [
        ("memory below 6 MB", "    mem_limit: 4m\n", "engine-limit", 6),
        ("more CPUs than the engine has", "    cpus: 512\n", "engine-limit", 6),
        ("an unknown runtime", "    runtime: berth-no-such-runtime\n", "unknown-runtime", 6),
        ("an unknown log driver", "    logging: {driver: berth-no-such-driver}\n", "log-driver-unavailable", 6),
        ("a sysctl outside the namespaces", "    sysctls: {vm.swappiness: 10}\n", "sysctl-refused", 6),
        ("net.* on the host network", "    network_mode: host\n    sysctls: {net.ipv4.ip_forward: 1}\n", "sysctl-refused", 7),
        ("a device that is not there", "    devices: [/dev/berth-no-such-device]\n", "missing-path", 6),
        ("a bind-backed volume without a device", "    volumes: [\"data:/data\"]\nvolumes:\n  data: {driver_opts: {type: none, o: bind}}\n", "missing-path", 8),
        ("a bind-backed volume on a missing folder", "    volumes: [\"data:/data\"]\nvolumes:\n  data: {driver_opts: {type: none, o: bind, device: /berth-no-such-folder}}\n", "missing-path", 8),
        ("uts: host with a hostname", "    uts: host\n    hostname: other\n", "option-conflict", 6),
        ("storage_opt on overlay2 over extfs (this engine)", "    storage_opt: {size: 1G}\n", "engine-limit", 6),
        ("a bind source that must exist", "    volumes: [{type: bind, source: /berth-no-such-dir, target: /x, bind: {create_host_path: false}}]\n", "missing-path", 6),
    ]

    @Test(.enabled(if: Engine.available, "engine predictions: need a Docker engine"), arguments: 0..<cases.count)
    func checkPredictsTheEngine(index: Int) throws {
        let c = Self.cases[index]
        let project = try EngineProject("services:\n  a:\n    image: busybox:1.36\n    command: [sleep, \"30\"]\n    init: true\n" + c.lines)
        defer { _ = try? project.berth(["down", "-v", "-t", "0", "-p", project.name]) }
        let check = try project.berth(["check", "-p", project.name, "--format", "json"])
        #expect(check.status == 1, "\(c.name): \(check.out)")
        let document = try JSONValue.parse(Data(check.out.utf8))
        let found = (document["diagnostics"]?.array ?? []).contains { $0["code"]?.string == c.code && $0["location"]?["line"]?.int == c.line && $0["severity"]?.string == "error" }
        #expect(found, "\(c.name): expected \(c.code) at line \(c.line): \(check.out)")
        let up = try project.berth(["up", "-d", "--no-check", "-p", project.name])
        #expect(up.status != 0, "\(c.name): up --no-check succeeded, so the check's error was not real")
    }

    /// `condition: service_healthy` on a service with no health check (busybox has none): an error, and up never
    /// starts the dependent service.
    @Test(.enabled(if: Engine.available, "engine predictions: need a Docker engine"))
    func healthyDependencyWithoutAHealthcheck() throws {
        let project = try EngineProject("""
        services:
          db: {image: busybox:1.36, command: [sleep, "30"], init: true}
          web:
            image: busybox:1.36
            command: [sleep, "30"]
            init: true
            depends_on: {db: {condition: service_healthy}}
        """)
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let check = try project.berth(["check", "-p", project.name])
        #expect(check.status == 1 && check.err.contains("compose.yaml:7:") && check.err.contains("[missing-healthcheck]"), "\(check.err)")
        let up = try project.berth(["up", "-d", "--no-check", "-p", project.name])
        #expect(up.status != 0, "\(up.err)")
    }

    /// A port another container publishes is one error that names the container, not one per address family plus
    /// one for the engine's `docker-proxy`.
    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "holders: need a Docker engine and the docker CLI"))
    func oneHolderIsOneError() throws {
        let holder = "berth-holder-\(UInt16.random(in: 0...UInt16.max))"
        let port = Int.random(in: 20_000...29_000)
        #expect(try CIIntegrationTests.shell(["docker", "run", "-d", "--rm", "--name", holder, "-p", "\(port):80", "busybox:1.36", "sleep", "60"],
                                             in: URL(fileURLWithPath: "/")).status == 0)
        defer { _ = try? CIIntegrationTests.shell(["docker", "rm", "-f", holder], in: URL(fileURLWithPath: "/")) }
        let project = try EngineProject("services:\n  web: {image: busybox:1.36, ports: [\"\(port):80\"], deploy: {replicas: 1}}\n")
        let check = try project.berth(["check", "-p", project.name, "--format", "json"])
        let document = try JSONValue.parse(Data(check.out.utf8))
        let inUse = (document["diagnostics"]?.array ?? []).filter { $0["code"]?.string == "port-in-use" }
        #expect(inUse.count == 1, "\(check.out)")
        #expect(inUse.first?["message"]?.string?.contains("container '\(holder)'") == true, "\(check.out)")
    }

    /// Where the daemon lacks CAP_SYS_RESOURCE (this sandbox), a ulimit above its own hard limit and a negative
    /// oom_score_adj fail at start; `check` reads the daemon's limits from /proc and says so at the line. Where it has
    /// the capability, neither is an error, and this test does not apply.
    static let daemonIsLimited = HostSnapshotReader.engineProcess(procRoot: "/proc").map { !$0.canRaiseLimits } ?? false
    static let aboveNofile = ((HostSnapshotReader.engineProcess(procRoot: "/proc")?.hardLimits["nofile"] ?? nil) ?? 20_000) + 1

    @Test(.enabled(if: Engine.available && daemonIsLimited, "daemon limits: need a local engine without CAP_SYS_RESOURCE"),
          arguments: [("    ulimits: {nofile: \(aboveNofile)}\n", "ulimits.nofile \(aboveNofile) is above the engine's own hard limit"),
                      ("    oom_score_adj: -1\n", "oom_score_adj -1 is below the engine's own")])
    func limitsTheDaemonCannotGrant(lines: String, message: String) throws {
        let project = try EngineProject("services:\n  a:\n    image: busybox:1.36\n    command: [sleep, \"30\"]\n    init: true\n" + lines)
        defer { _ = try? project.berth(["down", "-v", "-t", "0", "-p", project.name]) }
        let check = try project.berth(["check", "-p", project.name])
        #expect(check.status == 1 && check.err.contains("compose.yaml:6:") && check.err.contains(message) && check.err.contains("[engine-limit]"), "\(check.err)")
        let up = try project.berth(["up", "-d", "--no-check", "-p", project.name])
        #expect(up.status != 0, "up --no-check succeeded, so the check's error was not real")
    }
}
