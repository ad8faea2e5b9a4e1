import DockerEngine
import Foundation
import Testing

/// The differential test of `check` against the real engine (issue "Truth and hardening"): for random stacks
/// (`DifferentialStack`), with host processes and other containers holding ports, `check` reports an error exactly
/// when `up --no-check` fails: a create or start is refused, or a container is not running after a settle window.
/// The suite runs 28 fixed seeds; `BERTH_DIFFERENTIAL_SEEDS=1-200` (scripts/differential.sh) runs more.
@Suite(.serialized) struct DifferentialTests {
    static let seeds: [UInt64] = {
        let text = ProcessInfo.processInfo.environment["BERTH_DIFFERENTIAL_SEEDS"] ?? "1001-1028"
        return text.split(separator: ",").flatMap { part -> [UInt64] in
            let bounds = part.split(separator: "-").compactMap { UInt64($0) }
            return bounds.count == 2 ? Array(bounds[0]...bounds[1]) : bounds
        }
    }()

    /// The outcome of one stack.
    struct Outcome {
        var seed: UInt64
        var checkErrors: [String]
        var upFailure: String?
        var agreed: Bool { checkErrors.isEmpty == (upFailure == nil) }
    }

    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil && PictureTests.tool("python3") != nil,
                   "differential: needs a Docker engine, the docker CLI and python3"))
    func checkErrsExactlyWhenUpFails() throws {
        var outcomes: [Outcome] = []
        var classes: [String: Int] = [:]
        for seed in Self.seeds {
            let stack = DifferentialStack.make(seed: seed)
            for name in stack.classes { classes[name, default: 0] += 1 }
            let outcome = try Self.run(stack, seed: seed)
            outcomes.append(outcome)
            #expect(outcome.agreed, """
            seed \(seed): check \(outcome.checkErrors.isEmpty ? "passed" : "found \(outcome.checkErrors)") but up \(outcome.upFailure.map { "failed: \($0)" } ?? "succeeded")
            holders: \(stack.hostHolders) \(stack.foreignPublishes)
            \(stack.yaml)
            """)
        }
        let agreed = outcomes.filter(\.agreed).count
        let failing = outcomes.filter { $0.upFailure != nil }.count
        print("differential: \(agreed)/\(outcomes.count) agreed; up failed in \(failing); classes: \(classes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        // The generator must reach both outcomes and every class, or the agreement says little.
        if outcomes.count >= 20 {
            #expect(failing >= 3 && outcomes.count - failing >= 3, "too one-sided: \(failing) of \(outcomes.count) failed")
            for name in ["wildcard", "0.0.0.0", "[::]", "127.0.0.1", "[::1]", "range", "udp", "replicas", "host network", "shared namespace", "host process"] {
                #expect(classes[name, default: 0] > 0, "no stack had \(name)")
            }
        }
    }

    static func run(_ stack: DifferentialStack, seed: UInt64) throws -> Outcome {
        let project = try EngineProject(stack.yaml, name: "berthdiff\(seed)")
        let root = URL(fileURLWithPath: "/")
        var holder: pid_t?
        var foreign: [String] = []
        defer {
            _ = try? project.berth(["down", "-v", "-t", "0", "-p", project.name])
            if let holder { kill(holder, SIGKILL) }
            for id in foreign { _ = try? CIIntegrationTests.shell(["docker", "rm", "-f", id], in: root) }
        }
        func step(_ what: String) { FileHandle.standardError.write(Data("differential \(seed): \(what)\n".utf8)) }
        if !stack.hostHolders.isEmpty { holder = try Self.holdPorts(stack.hostHolders) }
        step("holders up")
        for publish in stack.foreignPublishes {
            let run = try CIIntegrationTests.shell(["docker", "run", "-d", "--rm", "-p", publish, "busybox:1.36", "sleep", "120"], in: root)
            if run.status == 0 { foreign.append(run.out.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        step("foreign up")
        let check = try project.berth(["check", "-p", project.name, "--format", "json"])
        step("checked")
        let document = try JSONValue.parse(Data(check.out.utf8))
        let errors = (document["diagnostics"]?.array ?? []).filter { $0["severity"]?.string == "error" }
            .map { "\($0["code"]?.string ?? "?"): \($0["message"]?.string ?? "")" }
        let up = try project.berth(["up", "-d", "--no-check", "-p", project.name])
        step("up done")
        var failure: String? = up.status == 0 ? nil : "exit \(up.status): \(up.err.suffix(400))"
        if failure == nil {
            Thread.sleep(forTimeInterval: 2.5)
            let ps = try CIIntegrationTests.shell(["docker", "ps", "-a", "--filter", "label=com.docker.compose.project=\(project.name)",
                                                   "--format", "{{.Names}} {{.State}} {{.Status}}"], in: root)
            let notRunning = ps.out.split(separator: "\n").filter { !$0.contains(" running ") }
            if !notRunning.isEmpty { failure = "not running: \(notRunning.joined(separator: "; "))" }
        }
        return Outcome(seed: seed, checkErrors: errors, upFailure: failure)
    }

    /// A python3 process holding the sockets until it is killed; returns its pid once they are bound. It runs in the
    /// background of a shell and says it is ready through a file (no pipe to wait on).
    static func holdPorts(_ holders: [DifferentialStack.HostHolder]) throws -> pid_t {
        let specs = holders.map { "(\"\($0.address)\", \($0.port), \($0.udp ? "True" : "False"), \($0.v6only ? "True" : "False"))" }
        let ready = FileManager.default.temporaryDirectory.appendingPathComponent("berth-holder-\(UUID().uuidString)")
        let script = """
        import os, socket, time
        os.closerange(3, 4096)  # descriptors inherited from the test's pipes would keep them open
        held = []
        for address, port, udp, v6only in [\(specs.joined(separator: ", "))]:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            s = socket.socket(family, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
            if family == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
            try:
                s.bind((address, port))
                if not udp: s.listen()
                held.append(s)
            except OSError:
                pass
        open("\(ready.path)", "w").close()
        time.sleep(300)
        """
        let file = ready.appendingPathExtension("py")
        try Data(script.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file); try? FileManager.default.removeItem(at: ready) }
        let started = try CIIntegrationTests.shell(["sh", "-c", "python3 \(file.path) </dev/null >/dev/null 2>&1 & echo $!"], in: URL(fileURLWithPath: "/"))
        let pid = try #require(pid_t(started.out.trimmingCharacters(in: .whitespacesAndNewlines)))
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: ready.path) { Thread.sleep(forTimeInterval: 0.05) }
        return pid
    }
}
