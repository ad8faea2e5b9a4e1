import BerthDiagnostics
import BerthRuntime
import BerthSpec
import DockerEngine
import Foundation
import Testing

@Suite(.serialized) struct ExecutorIntegrationTests {
    /// A web server whose page comes from the Compose file, as the public busybox image has no web content.
    let httpd = #"command: ["sh", "-c", "mkdir -p /www && echo hello-from-busybox > /www/index.html && exec httpd -f -p 80 -h /www"]"#

    @Test(.enabled(if: Engine.available, "published ports: needs a Docker engine (scripts/start-engine.sh)")) func publishedPortAnswersOnTheHostAndUpIsIdempotent() async throws {
        let port = Int.random(in: 21000...21999)
        let project = try EngineProject("""
        services:
          web:
            image: busybox:1.36
            \(httpd)
            ports: ["127.0.0.1:\(port):80", "127.0.0.1:\(port + 1)-\(port + 2):81-82", "127.0.0.1:\(port + 3):53/udp"]
        """)
        try await project.run { client, compose in
            let executor = Executor(client: client, progress: .silent)
            try await executor.up(compose)
            let published = try await project.containers(client).first?.ports ?? []
            let bound = Set(published.compactMap { p in p.publicPort.map { "\($0)/\(p.type)" } })
            #expect(bound == ["\(port)/tcp", "\(port + 1)/tcp", "\(port + 2)/tcp", "\(port + 3)/udp"], "\(bound)")
            #expect(try await waitForHTTP(port: port, containing: "hello-from-busybox"), "no answer on 127.0.0.1:\(port)")
            let before = try await project.containers(client).map(\.id)
            let labels = try await project.containers(client).first?.labels
            #expect(labels?["com.docker.compose.project"] == project.name)
            #expect(labels?["com.docker.compose.service"] == "web")
            #expect(labels?["com.docker.compose.oneoff"] == "False")
            #expect(labels?["com.docker.compose.config-hash"]?.count == 64)
            try await executor.up(compose)
            let after = try await project.containers(client).map(\.id)
            #expect(before == after, "a second up with nothing changed must touch nothing")
        }
    }

    @Test(.enabled(if: Engine.available, "recreate: needs a Docker engine (scripts/start-engine.sh)")) func onlyTheChangedServiceIsRecreated() async throws {
        let yaml = """
        services:
          a: {image: busybox:1.36, command: ["sleep", "300"], init: true}
          b: {image: busybox:1.36, command: ["sleep", "300"], init: true}
        """
        let project = try EngineProject(yaml)
        try await project.run { client, compose in
            let executor = Executor(client: client, progress: .silent)
            try await executor.up(compose)
            func ids() async throws -> [String: String] {
                Dictionary(uniqueKeysWithValues: try await project.containers(client).map {
                    ($0.labels["com.docker.compose.service"] ?? "", $0.id)
                })
            }
            let first = try await ids()
            var changed = compose
            changed.services[1].environment = [KeyValue("CHANGED", "1")]
            try await executor.up(changed)
            let second = try await ids()
            #expect(first["a"] == second["a"])
            #expect(first["b"] != second["b"])
            // A dependent with `depends_on.restart` is restarted (same container, new start) when its dependency is recreated.
            var following = changed
            following.services[0].dependsOn = [Dependency(service: "b", condition: .started, restart: true, required: true,
                                                          location: following.services[0].location)]
            try await executor.up(following)  // a's configuration changed: recreated once with the new dependency
            let startedBefore = try await client.inspectContainer(try await ids()["a"] ?? "").state.startedAt
            let idBefore = try await ids()["a"]
            var again = following
            again.services[1].environment = [KeyValue("CHANGED", "2")]
            try await executor.up(again)
            #expect(try await ids()["a"] == idBefore)
            let startedAfter = try await client.inspectContainer(try await ids()["a"] ?? "").state.startedAt
            #expect(startedBefore != startedAfter, "a must restart when b is recreated")
        }
    }

    @Test(.enabled(if: Engine.available, "plan: needs a Docker engine (scripts/start-engine.sh)")) func planSaysWhatUpWouldDo() async throws {
        let project = try EngineProject("""
        services:
          a: {image: busybox:1.36, command: ["sleep", "300"], init: true}
          b: {image: busybox:1.36, command: ["sleep", "300"], init: true, depends_on: [a]}
        """)
        defer { _ = try? project.berth(["down", "-p", project.name, "-t", "0"]) }
        let fresh = try project.berth(["plan", "-p", project.name])
        #expect(fresh.status == 2, "\(fresh.out)\(fresh.err)")
        #expect(fresh.out.contains("+ network \(project.name)_default  create"))
        #expect(fresh.out.contains("start order:\n  1. a\n  2. b\n"), "\(fresh.out)")
        let offline = try project.berth(["plan", "-p", project.name], environment: ["DOCKER_HOST": "unix:///nonexistent.sock"])
        #expect(offline.status == 2)
        #expect(offline.err.contains("no engine reachable"), "\(offline.err)")
        #expect(!offline.out.contains("note"), "stdout holds only the plan")
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        let settled = try project.berth(["plan", "-p", project.name])
        #expect(settled.status == 0, "\(settled.out)")
        #expect(settled.out.contains("nothing to do"))
        try Data("services:\n  a: {image: busybox:1.36, command: [\"sleep\", \"301\"], init: true}\n  b: {image: busybox:1.36, command: [\"sleep\", \"300\"], init: true, depends_on: [a]}\n".utf8)
            .write(to: project.directory.appendingPathComponent("compose.yaml"))
        let changed = try project.berth(["plan", "-p", project.name])
        #expect(changed.status == 2)
        #expect(changed.out.contains("~ container \(project.name)-a-1  recreate (changed: command)"), "\(changed.out)")
        #expect(changed.out.contains("= container \(project.name)-b-1  keep"))
    }

    @Test(.enabled(if: Engine.available, "build: needs a Docker engine (scripts/start-engine.sh)")) func buildsFromTheContextWithArgsTargetAndIgnore() async throws {
        let port = Int.random(in: 24000...24999)
        let project = try EngineProject("""
        services:
          web:
            build:
              context: .
              dockerfile: web.Dockerfile
              target: final
              args: {GREETING: built-by-berth}
            ports: ["127.0.0.1:\(port):80"]
        """, extra: [
            "web.Dockerfile": "FROM busybox:1.36 AS base\nARG GREETING=default\nCOPY . /src/\nFROM base AS final\nARG GREETING\nRUN mkdir -p /site && echo \"$GREETING\" > /site/index.html\nCMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/site\"]\n",
            ".dockerignore": "secret.txt\n",
            "secret.txt": "do not send\n",
            "public.txt": "fine\n",
        ])
        try await project.run { client, compose in
            try await Executor(client: client, progress: .silent).up(compose)
            #expect(try await waitForHTTP(port: port, containing: "built-by-berth"))
            let id = try await project.containers(client).first?.id ?? ""
            let listing = OutputCollector()
            _ = try await client.exec(id, command: ["ls", "/src"]) { _, bytes in listing.append(bytes) }
            #expect(listing.text.contains("public.txt"))
            #expect(!listing.text.contains("secret.txt"))
            let image = try await client.inspectImage("\(project.name)-web")
            #expect(image != nil)
        }
        let cleanup = DockerClient()
        try? await cleanup.removeImage("\(project.name)-web", force: true)
        await cleanup.shutdown()
    }

    @Test(.enabled(if: Engine.available, "engine networks: needs a Docker engine (scripts/start-engine.sh)")) func engineNetworksAndImagesAreChecked() async throws {
        let client = DockerClient()
        let outside = "berth-outside-\(UInt16.random(in: 0...UInt16.max))"
        _ = try await client.createNetwork(["Name": .string(outside), "CheckDuplicate": true,
                                            "IPAM": ["Config": [["Subnet": "10.244.77.0/24"]]]])
        let project = try EngineProject("""
        services:
          a: {image: busybox:1.36, networks: [inner, shared]}
          b: {image: never-built-anywhere:1, pull_policy: never}
        networks:
          inner: {ipam: {config: [{subnet: 10.244.0.0/16}]}}
          shared: {external: true, name: missing-\(outside)}
        """)
        let checked = try project.berth(["check", "--format", "json", "-p", project.name])
        #expect(checked.out.contains("\"code\": \"subnet-overlap\""), "\(checked.out)")
        #expect(checked.out.contains(outside))
        #expect(checked.out.contains("\"code\": \"unknown-network\""))
        // A host-network service claims the ports its image exposes, as the engine reports them.
        let imageTag = "berth-exposes-\(UInt16.random(in: 0...UInt16.max)):test"
        let context = project.directory.appendingPathComponent("exposing")
        try FileManager.default.createDirectory(at: context, withIntermediateDirectories: true)
        try Data("FROM busybox:1.36\nEXPOSE 7777/tcp\n".utf8).write(to: context.appendingPathComponent("Dockerfile"))
        try await client.buildImage(context: try BuildContext.archive(directory: context.path), parameters: BuildParameters(tags: [imageTag]))
        let exposing = try EngineProject("services:\n  agent: {image: \"\(imageTag)\", network_mode: host}\n  web: {image: busybox:1.36, ports: [\"7777:80\"]}\n")
        let claimed = try exposing.berth(["check", "--format", "json", "--no-host-scan", "-p", exposing.name])
        #expect(claimed.status == 1)
        #expect(claimed.out.contains("ExposedPorts"), "\(claimed.out)")
        try? await client.removeImage(imageTag, force: true)
        // The image that cannot be had is reported at the service, with nothing left behind (--rollback).
        let fixed = try EngineProject("services:\n  b: {image: never-built-anywhere:1, pull_policy: never}\n  c: {image: busybox:1.36, command: [sleep, \"60\"]}\n")
        let up = try fixed.berth(["up", "-d", "--rollback", "-p", fixed.name])
        #expect(up.status == 1)
        #expect(up.err.contains("compose.yaml:2:3: error: service 'b': image 'never-built-anywhere:1' is not present"), "\(up.err)")
        #expect(try await fixed.containers(client).isEmpty)
        try await client.removeNetwork(outside)
        await client.shutdown()
    }

    @Test(.enabled(if: Engine.available, "rollback: needs a Docker engine (scripts/start-engine.sh)")) func rollbackRemovesWhatTheRunCreated() async throws {
        let project = try EngineProject("""
        services:
          migrate: {image: busybox:1.36, command: ["sh", "-c", "exit 2"]}
          app: {image: busybox:1.36, command: ["sleep", "300"], depends_on: {migrate: {condition: service_completed_successfully}}}
        volumes:
          data: {}
        """)
        let failed = try project.berth(["up", "-d", "-p", project.name])
        #expect(failed.status == 1)
        let client = DockerClient()
        #expect(try await project.containers(client).count == 1, "without --rollback what was created stays inspectable")
        _ = try project.berth(["down", "-p", project.name, "-t", "0"])
        let rolledBack = try project.berth(["up", "-d", "--rollback", "-p", project.name])
        #expect(rolledBack.status == 1)
        #expect(try await project.containers(client).isEmpty)
        let networks = try await client.listNetworks(filters: ["label": ["com.docker.compose.project=\(project.name)"]])
        #expect(networks.isEmpty)
        await client.shutdown()
    }

    @Test(.enabled(if: Engine.available, "samples: needs a Docker engine (scripts/start-engine.sh)")) func samplesComeUpAndDown() async throws {
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples")
        // The host-network demo is the failure the check exists for; it is tested on its own above.
        for sample in ["web-with-health", "built-web"] {
            let directory = samples.appendingPathComponent(sample)
            let process = { (arguments: [String]) throws -> Int32 in
                let run = Process()
                run.executableURL = samples.deletingLastPathComponent().appendingPathComponent(".build/debug/berth")
                run.arguments = arguments
                run.currentDirectoryURL = directory
                run.standardError = FileHandle.nullDevice
                run.standardOutput = FileHandle.nullDevice
                try run.run()
                run.waitUntilExit()
                return run.terminationStatus
            }
            #expect(try process(["up", "-d", "--wait"]) == 0, "\(sample) up")
            #expect(try process(["down", "-t", "0"]) == 0, "\(sample) down")
        }
    }

    @Test(.enabled(if: Engine.available, "attached up: needs a Docker engine (scripts/start-engine.sh)")) func attachedUpFollowsLogsAndStopsOnInterrupt() async throws {
        let project = try EngineProject("""
        services:
          talker: {image: busybox:1.36, init: true, command: ["sh", "-c", "echo hello-from-talker; sleep 300"]}
          quiet: {image: busybox:1.36, init: true, attach: false, command: ["sh", "-c", "echo hello-from-quiet; sleep 300"]}
          stubborn:
            image: busybox:1.36
            command: ["sh", "-c", "trap 'echo ignoring TERM' TERM; while true; do sleep 1; done"]
            stop_grace_period: 60s
        """)
        let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/berth")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["up", "-p", project.name]
        process.currentDirectoryURL = project.directory
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let client = DockerClient()
        var running = 0
        for _ in 0..<100 where running < 3 {
            try await Task.sleep(for: .milliseconds(100))
            running = try await project.containers(client).filter { $0.state == "running" }.count
        }
        #expect(running == 3)
        try await Task.sleep(for: .milliseconds(500))
        // First Ctrl-C: graceful stop (the stubborn service would take its 60 s grace period); second: kill.
        process.interrupt()
        try await Task.sleep(for: .milliseconds(700))
        let start = ContinuousClock.now
        process.interrupt()
        process.waitUntilExit()
        #expect(ContinuousClock.now - start < .seconds(20))
        let logs = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(logs.contains("talker") && logs.contains("| hello-from-talker"), "\(logs)")
        // `attach: false`: the service runs, but attached up does not follow its logs (as in Compose).
        #expect(!logs.contains("hello-from-quiet"), "\(logs)")
        let states = try await project.containers(client).map(\.state)
        #expect(states.count == 3 && states.allSatisfy { $0 == "exited" }, "\(states)")
        _ = try project.berth(["down", "-p", project.name, "-t", "0"])
        await client.shutdown()
    }

    @Test(.enabled(if: Engine.available, "network modes: needs a Docker engine (scripts/start-engine.sh)")) func networkModes() async throws {
        let yaml = """
        services:
          hostnet: {image: busybox:1.36, network_mode: host, command: ["sleep", "300"], init: true}
          nonet: {image: busybox:1.36, network_mode: none, command: ["sleep", "300"], init: true}
          bridged: {image: busybox:1.36, network_mode: bridge, command: ["sleep", "300"], init: true}
          web:
            image: busybox:1.36
            \(httpd)
            networks:
              front: {aliases: [www], ipv4_address: 10.231.7.10}
              back: {}
          sidecar: {image: busybox:1.36, network_mode: "service:web", command: ["sleep", "300"], init: true}
          client: {image: busybox:1.36, command: ["sleep", "300"], init: true, networks: [front]}
        networks:
          front: {ipam: {config: [{subnet: 10.231.7.0/24}]}}
          back: {internal: true}
        """
        let project = try EngineProject(yaml)
        try await project.run { client, compose in
            try await Executor(client: client, progress: .silent).up(compose)
            var byService: [String: ContainerDetails] = [:]
            for entry in try await project.containers(client) {
                byService[entry.labels["com.docker.compose.service"] ?? ""] = try await client.inspectContainer(entry.id)
            }
            #expect(byService["hostnet"]?.networkMode == "host")
            #expect(byService["nonet"]?.networkMode == "none")
            #expect(byService["bridged"]?.networkMode == "bridge")
            let webID = byService["web"]?.id ?? "?"
            #expect(byService["sidecar"]?.networkMode == "container:\(webID)")
            let webNetworks = byService["web"]?.networks ?? [:]
            #expect(Set(webNetworks.keys) == ["\(project.name)_front", "\(project.name)_back"])
            #expect(webNetworks["\(project.name)_front"] == "10.231.7.10")
            // The alias answers from another container on the same network.
            let clientID = byService["client"]?.id ?? "?"
            let output = OutputCollector()
            let code = try await client.exec(clientID, command: ["wget", "-qO-", "http://www/"]) { _, bytes in output.append(bytes) }
            #expect(code == 0)
            #expect(output.text.contains("hello-from-busybox"))
            // The sidecar shares web's namespace: it reaches httpd on localhost.
            let sidecarID = byService["sidecar"]?.id ?? "?"
            let shared = OutputCollector()
            #expect(try await client.exec(sidecarID, command: ["wget", "-qO-", "http://127.0.0.1/"]) { _, bytes in shared.append(bytes) } == 0)
            #expect(shared.text.contains("hello-from-busybox"))
        }
    }

    @Test(.enabled(if: Engine.available, "health order: needs a Docker engine (scripts/start-engine.sh)")) func healthOrderedStartAndCompletion() async throws {
        let yaml = """
        services:
          migrate: {image: busybox:1.36, command: ["sh", "-c", "echo migrated"]}
          db:
            image: busybox:1.36
            command: ["sh", "-c", "sleep 1; touch /tmp/ready; sleep 300"]
            init: true
            healthcheck: {test: ["CMD", "test", "-f", "/tmp/ready"], interval: 300ms, retries: 20}
          app:
            image: busybox:1.36
            command: ["sleep", "300"]
            init: true
            depends_on:
              db: {condition: service_healthy}
              migrate: {condition: service_completed_successfully}
        """
        let project = try EngineProject(yaml)
        try await project.run { client, compose in
            var options = Executor.UpOptions()
            options.wait = true
            try await Executor(client: client, progress: .silent).up(compose, options: options)
            var started: [String: String] = [:]
            for entry in try await project.containers(client) {
                let inspected = try await client.inspectContainer(entry.id)
                started[entry.labels["com.docker.compose.service"] ?? ""] = inspected.state.startedAt
            }
            let db = try await client.inspectContainer(try await project.containers(client).first { $0.labels["com.docker.compose.service"] == "db" }?.id ?? "")
            let healthyAt = db.state.firstHealthyProbe ?? ""
            #expect(!healthyAt.isEmpty)
            #expect((started["app"] ?? "") > healthyAt, "app started \(started["app"] ?? "?") before db was healthy at \(healthyAt)")
        }
    }

    @Test(.enabled(if: Engine.available, "failed dependency: needs a Docker engine (scripts/start-engine.sh)")) func failedDependencyStopsDependents() async throws {
        let yaml = """
        services:
          migrate: {image: busybox:1.36, command: ["sh", "-c", "exit 3"]}
          app:
            image: busybox:1.36
            command: ["sleep", "300"]
            depends_on: {migrate: {condition: service_completed_successfully}}
        """
        let project = try EngineProject(yaml)
        try await project.run { client, compose in
            do {
                try await Executor(client: client, progress: .silent).up(compose)
                Issue.record("up should fail")
            } catch let error as RuntimeError {
                let message = error.diagnostics.map(\.message).joined()
                #expect(message.contains("'migrate' exited with code 3"), "\(message)")
            }
            let services = try await project.containers(client).compactMap { $0.labels["com.docker.compose.service"] }
            #expect(!services.contains("app"))
        }
    }

    @Test(.enabled(if: Engine.available, "volumes: needs a Docker engine (scripts/start-engine.sh)")) func downKeepsVolumesUnlessAsked() async throws {
        let yaml = """
        services:
          writer: {image: busybox:1.36, command: ["sh", "-c", "echo kept > /data/file; sleep 300"], init: true, volumes: ["data:/data"]}
        volumes:
          data: {}
        """
        let project = try EngineProject(yaml)
        let client = DockerClient()
        let compose = try project.load()
        let executor = Executor(client: client, progress: .silent)
        try await executor.up(compose)
        var down = Executor.DownOptions()
        down.timeout = 0
        try await executor.down(projectName: project.name, options: down)
        try await executor.down(projectName: project.name, options: down)  // twice is fine
        let volumes = try await client.listVolumes().map(\.name)
        #expect(volumes.contains("\(project.name)_data"))
        #expect(try await project.containers(client).isEmpty)
        down.removeVolumes = true
        try await executor.down(projectName: project.name, options: down)
        let after = try await client.listVolumes().map(\.name)
        #expect(!after.contains("\(project.name)_data"))
        await client.shutdown()
    }

    @Test(.enabled(if: Engine.available, "orphans: needs a Docker engine (scripts/start-engine.sh)")) func orphansAreReportedAndRemoved() async throws {
        let project = try EngineProject("""
        services:
          a: {image: busybox:1.36, command: ["sleep", "300"], init: true}
          b: {image: busybox:1.36, command: ["sleep", "300"], init: true}
        """)
        try await project.run { client, compose in
            let events = EventCollector()
            let executor = Executor(client: client, progress: ProgressReporter { events.append($0) })
            try await executor.up(compose)
            var smaller = compose
            smaller.services.removeAll { $0.name == "b" }
            let warned = try await executor.up(smaller)
            #expect(warned.plan.diagnostics.contains { $0.code == "orphan-containers" && $0.message.contains("[\(project.name)-b-1]") })
            #expect(try await project.containers(client).count == 2)
            var options = Executor.UpOptions()
            options.plan.removeOrphans = true
            try await executor.up(smaller, options: options)
            #expect(try await project.containers(client).count == 1)
            #expect(events.all.contains(.resource(.container, "\(project.name)-b-1", .removed)))
        }
    }

    @Test(.enabled(if: Engine.available, "seed scenario: needs a Docker engine (scripts/start-engine.sh)")) func seedScenarioIsRefusedThenReportedWithNoCheck() async throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/host-network-demo/compose.yaml")
        // Move the ports off 80 so the test does not depend on what the machine runs.
        let port = Int.random(in: 22000...22999)
        let yaml = try String(contentsOf: sample, encoding: .utf8).replacingOccurrences(of: "-p 80 -h", with: "-p \(port) -h")
            .replacingOccurrences(of: "- \"80:80\"", with: "- \"\(port):\(port)\"").replacingOccurrences(of: "2000:80", with: "\(port + 1):\(port)")
        let project = try EngineProject(yaml)
        defer { _ = try? project.berth(["down", "-p", project.name, "-t", "0"]) }
        let refused = try project.berth(["up", "-d", "-p", project.name])
        #expect(refused.status == 1)
        #expect(refused.err.contains("compose.yaml:21:9: error: service 'app3'"), "\(refused.err)")
        #expect(refused.err.contains("compose.yaml:15:9: note: 'app2'"), "\(refused.err)")
        let client = DockerClient()
        #expect(try await project.containers(client).isEmpty, "nothing may be created when the check fails")
        let forced = try project.berth(["up", "-d", "--no-check", "-p", project.name])
        #expect(forced.status == 1)
        // app2 and app3 start in parallel, so either may lose the race for the port; the loser is reported.
        let loser = forced.err.contains("'app2' (host network) exited") ? "app2" : "app3"
        #expect(forced.err.contains("'\(loser)' (host network) exited with code 1"), "\(forced.err)")
        #expect(forced.err.contains("Address already in use"), "\(forced.err)")
        let logs = try project.berth(["logs", "-p", project.name, loser])
        #expect(logs.out.contains("\(loser)-1  | httpd: bind: Address already in use"), "\(logs.out)")
        let ps = try project.berth(["ps", "-a", "-p", project.name])
        #expect(ps.out.contains("Exited (1)"), "\(ps.out)")
        let exec = try project.berth(["exec", "-T", "-p", project.name, "app1", "wget", "-qO-", "localhost:\(port)"])
        #expect(exec.status == 0 && exec.out.contains("hello-from-busybox"), "\(exec.err)")
        let failing = try project.berth(["exec", "-T", "-p", project.name, "app1", "sh", "-c", "exit 7"])
        #expect(failing.status == 7)
        let down = try project.berth(["down", "-p", project.name, "-t", "0"])
        #expect(down.status == 0)
        #expect(try await project.containers(client).isEmpty)
        await client.shutdown()
    }

    @Test(.enabled(if: Engine.available, "outside holders: needs a Docker engine (scripts/start-engine.sh)")) func portHeldByAnotherContainerAndNameConflicts() async throws {
        let port = Int.random(in: 23000...23999)
        let client = DockerClient()
        let outsider = "berth-outsider-\(UInt16.random(in: 0...UInt16.max))"
        let (id, _) = try await client.createContainer(name: outsider, body: [
            "Image": "busybox:1.36", "Cmd": ["sleep", "300"], "ExposedPorts": ["80/tcp": [:]],
            "HostConfig": ["Init": true, "PortBindings": ["80/tcp": [["HostIp": "127.0.0.1", "HostPort": .string(String(port))]]]],
        ])
        try await client.startContainer(id)
        defer { Task { try? await client.removeContainer(id, force: true); await client.shutdown() } }
        let project = try EngineProject("""
        services:
          web: {image: busybox:1.36, command: ["sleep", "300"], ports: ["127.0.0.1:\(port):80"]}
          named: {image: busybox:1.36, command: ["sleep", "300"], container_name: \(outsider)}
        """)
        let checked = try project.berth(["check", "--format", "json", "-p", project.name])
        #expect(checked.status == 1)
        #expect(checked.out.contains("\"code\": \"port-in-use\""), "\(checked.out)")
        #expect(checked.out.contains("\"code\": \"container-name-conflict\""), "\(checked.out)")
        // With --no-check the engine's own errors come back translated to the YAML line.
        let forced = try project.berth(["up", "-d", "--no-check", "-p", project.name])
        #expect(forced.status == 1)
        #expect(forced.err.contains("compose.yaml:2:"), "\(forced.err)")
        _ = try project.berth(["down", "-p", project.name, "-t", "0"])
    }
}

/// Collects progress events from concurrent callbacks.
final class EventCollector: @unchecked Sendable {
    // Guarded by `lock`.
    private var events: [ProgressEvent] = []
    private let lock = NSLock()

    func append(_ event: ProgressEvent) { lock.withLock { events.append(event) } }
    var all: [ProgressEvent] { lock.withLock { events } }
}

/// Collects bytes written from concurrent callbacks.
final class OutputCollector: @unchecked Sendable {
    // Guarded by `lock`.
    private var bytes: [UInt8] = []
    private let lock = NSLock()

    func append(_ more: [UInt8]) { lock.withLock { bytes += more } }
    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
}
