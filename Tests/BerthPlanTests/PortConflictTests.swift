import BerthDiagnostics
import BerthPlan
import BerthSpec
import Foundation
import BerthTestSupport
import Testing

@Suite struct PortConflictTests {
    /// Two services publishing the given ports; returns the port-conflict diagnostics.
    func conflicts(_ a: String, _ b: String) throws -> [Diagnostic] {
        let yaml = """
        services:
          a:
            image: x
            ports: ["\(a)"]
          b:
            image: x
            ports: ["\(b)"]
        """
        return try check(["compose.yaml": yaml]).1.filter { $0.code == "port-conflict" }
    }

    /// Each pair as this engine (20.10, docker-proxy) behaved when the two were published one after the other
    /// (docs/ports-on-the-host.md): the wildcard binds 0.0.0.0 and an IPv6-only ::.
    @Test(arguments: [
        ("8080:80", "8080:80", true),
        ("127.0.0.1:8080:80", "8080:80", true),
        ("[::]:8080:80", "0.0.0.0:8080:80", false),
        ("[::]:8080:80", "8080:80", true),
        ("[::]:8080:80", "[::1]:8080:80", true),
        ("8080:80/tcp", "8080:80/udp", false),
        ("127.0.0.1:8080:80", "127.0.0.2:8080:80", false),
        ("127.0.0.1:8080:80", "127.0.0.1:8080:80", true),
        ("[::1]:8080:80", "127.0.0.1:8080:80", false),
        ("0.0.0.0:8080:80", "127.0.0.1:8080:80", true),
        ("0.0.0.0:8080:80", "[::1]:8080:80", false),
        ("[::]:8080:80", "127.0.0.1:8080:80", false),
        ("8080:80", "[::1]:8080:80", true),
        ("8000-8010:8000-8010", "8005:80", true),
        ("8000-8010:8000-8010", "8011:80", false),
        ("8000-8010:80", "8005:80", false),
        ("9000:80/sctp", "9000:80/udp", false),
        ("80", "80", false),
    ])
    func pairs(a: String, b: String, conflict: Bool) throws {
        let found = try conflicts(a, b)
        #expect(!found.isEmpty == conflict, "\(a) vs \(b): \(found.map(\.message))")
    }

    @Test func seedScenarioReportsApp3AgainstApp2() throws {
        let sample = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/host-network-demo/compose.yaml")
        let text = try String(contentsOf: sample, encoding: .utf8)
        let (_, diagnostics) = try check(["compose.yaml": text])
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        let conflict = try #require(errors.first)
        #expect(conflict.code == "port-conflict")
        #expect(conflict.service == "app3")
        #expect(conflict.message.contains("80/tcp"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let primaryLine = String(lines[(conflict.location?.line ?? 1) - 1])
        #expect(primaryLine.contains("80:80"))
        #expect(conflict.related.first?.service == "app2")
        let relatedLine = String(lines[(conflict.related.first?.location?.line ?? 1) - 1])
        #expect(relatedLine.contains("80:80"))
        #expect((conflict.location?.line ?? 0) > (conflict.related.first?.location?.line ?? 0))
        #expect(!diagnostics.contains { $0.service == "app1" })
    }

    @Test func hostNetworkAgainstPublishedPort() throws {
        let yaml = """
        services:
          web:
            image: x
            ports: ["8080:80"]
          agent:
            image: x
            network_mode: host
            expose: ["8080"]
        """
        let found = try check(["compose.yaml": yaml]).1.filter { $0.code == "port-conflict" }
        #expect(found.count == 1)
        #expect(found.first?.service == "agent")
    }

    @Test func servicesJoiningAHostNamespaceClaimHostPorts() throws {
        let yaml = """
        services:
          gateway: {image: x, network_mode: host, expose: ["8443"]}
          sidecar: {image: x, network_mode: "service:gateway", expose: ["9100"]}
          web: {image: x, ports: ["9100:80"]}
          inner: {image: x}
          helper: {image: x, network_mode: "service:inner", expose: ["9100"]}
        """
        let conflicts = try check(["compose.yaml": yaml]).1.filter { $0.code == "port-conflict" }
        #expect(conflicts.count == 1, "\(conflicts.map(\.message))")
        #expect(Set([conflicts.first?.service, conflicts.first?.related.first?.service]) == ["sidecar", "web"])
    }

    @Test func hostNetworkPortMapping() throws {
        let marked = MarkedYAML("""
        services:
          agent:
            image: x
            network_mode: host
            ports:
              - ⟨here⟩"8080:80"
        """)
        let diagnostics = try check(["compose.yaml": marked.text]).1
        let mapping = try #require(diagnostics.first { $0.code == "host-network-port-mapping" })
        #expect(mapping.location?.line == marked["here"].line)
        #expect(mapping.location?.column == marked["here"].column)
    }

    @Test func replicasWithAFixedPortConflict() throws {
        let fixed = """
        services:
          web:
            image: x
            deploy: {replicas: 3}
            ports: ["8080:80"]
        """
        #expect(codes(try check(["compose.yaml": fixed]).1).contains("port-conflict"))
        let range = """
        services:
          web:
            image: x
            deploy: {replicas: 3}
            ports: ["8080-8082:80"]
        """
        #expect(!codes(try check(["compose.yaml": range]).1).contains("port-conflict"))
    }

    @Test func inactiveProfileClaimsNothing() throws {
        let yaml = """
        services:
          web:
            image: x
            ports: ["8080:80"]
          debug:
            image: x
            profiles: [debug]
            ports: ["8080:80"]
        """
        #expect(!codes(try check(["compose.yaml": yaml]).1).contains("port-conflict"))
        #expect(codes(try check(["compose.yaml": yaml], profiles: ["debug"]).1).contains("port-conflict"))
    }

    @Test func overrideFileAndVariableMoveAPort() throws {
        let base = """
        services:
          a: {image: x, ports: ["8080:80"]}
          b: {image: x, ports: ["${B_PORT:-8080}:80"]}
        """
        #expect(codes(try check(["compose.yaml": base]).1).contains("port-conflict"))
        #expect(!codes(try check(["compose.yaml": base], environment: ["B_PORT": "9090"]).1).contains("port-conflict"))
        let override = """
        services:
          b:
            ports: !override ["9091:80"]
        """
        let (_, moved) = try check(["compose.yaml": base, "compose.override.yaml": override], load: ["compose.yaml", "compose.override.yaml"])
        #expect(!codes(moved).contains("port-conflict"), "\(moved.map(\.message))")
    }

    @Test func ephemeralRangeIsANote() throws {
        let yaml = "services:\n  web: {image: x, ports: [\"40000:80\"]}\n"
        let diagnostics = try check(["compose.yaml": yaml], options: .init(ephemeralRange: 32768...60999)).1
        let note = try #require(diagnostics.first { $0.code == "ephemeral-port-range" })
        #expect(note.severity == .note)
        let low = "services:\n  web: {image: x, ports: [\"8080:80\"]}\n"
        #expect(!codes(try check(["compose.yaml": low], options: .init(ephemeralRange: 32768...60999)).1).contains("ephemeral-port-range"))
    }

    @Test func imageExposedPortsOnTheHostNetwork() throws {
        let yaml = """
        services:
          a: {image: web:exposed, network_mode: host}
          b: {image: x, ports: ["80:8080"]}
        """
        let engine = EngineSnapshot(reachable: true, images: ["web:exposed": .init(id: "sha256:e", exposedPorts: ["80/tcp", "53/udp"])])
        let diagnostics = try check(["compose.yaml": yaml], options: .init(engine: engine)).1
        let conflict = try #require(diagnostics.first { $0.code == "port-conflict" })
        #expect(conflict.message.contains("ExposedPorts") || conflict.related.first?.message.contains("ExposedPorts") == true)
    }

    @Test(.enabled(if: Corpus.available, "awesome-compose side by side: needs ../shared/corpus")) func twoAwesomeComposeSamplesSideBySide() throws {
        let corpus = try Corpus.require()
        let first = corpus.appendingPathComponent("awesome-compose/flask/compose.yaml")
        let second = corpus.appendingPathComponent("awesome-compose/django/compose.yaml")
        for file in [first, second] {
            let alone = ProjectLoader.load(ProjectOptions(files: [file.path], environment: [:], currentDirectory: "/"))
            let project = try #require(alone.project)
            #expect(!PreflightChecker(project: project, options: .init()).run().diagnostics.hasErrors, "\(file.lastPathComponent) alone")
        }
        // Side by side: the first stack runs; its published ports are the engine's view for the second.
        let running = ProjectLoader.load(ProjectOptions(files: [first.path], environment: [:], currentDirectory: "/"))
        let runningProject = try #require(running.project)
        let published = runningProject.services.flatMap { service in
            service.ports.compactMap { port in port.published.map { EngineSnapshot.PublishedPort(ip: port.hostIP ?? "", port: $0.lower, proto: port.protocol) } }
        }
        let engine = EngineSnapshot(reachable: true, containers: [.init(id: "c1", name: "flask-web-1", project: "flask", service: "web", number: 1,
                                                                         publishedPorts: published)])
        let next = ProjectLoader.load(ProjectOptions(files: [second.path], environment: [:], currentDirectory: "/"))
        let report = PreflightChecker(project: try #require(next.project), options: .init(engine: engine)).run()
        let shared = report.diagnostics.filter { $0.code == "port-in-use" }
        #expect(!shared.isEmpty)
        print("side by side: flask and django share \(shared.map(\.message))")
    }

    /// N claimants of one port give N-1 errors, each pointing at the first claimant, in file order.
    @Test func manyClaimantsOfOnePortGiveOneErrorEachAfterTheFirst() throws {
        var yaml = "services:\n"
        for index in 0..<11 { yaml += "  s\(index): {image: x, ports: [\"8080:80\"]}\n" }
        yaml += "  many: {image: x, ports: [\"9090:80\"], scale: 3}\n"
        let diagnostics = try check(["compose.yaml": yaml]).1.filter { $0.code == "port-conflict" }
        let onEight = diagnostics.filter { $0.message.contains("8080") }
        #expect(onEight.count == 10)
        #expect(onEight.map(\.service) == (1..<11).map { "s\($0)" })
        #expect(onEight.allSatisfy { $0.related.first?.service == "s0" && $0.related.first?.location?.line == 2 })
        // The replicas of one entry are one finding that names them.
        let replicas = diagnostics.filter { $0.service == "many" }
        #expect(replicas.count == 1)
        #expect(replicas.first?.message.hasPrefix("replicas 2 and 3 of service 'many' bind host port 9090/tcp, which replica 1 already binds") == true, "\(replicas)")
    }
}

/// The plan picks the port of a published range (docs/ports-on-the-host.md: the engine would pick one without looking
/// at the host, and fail when it is held), and services sharing a namespace share its ports.
@Suite struct PortAssignmentTests {
    func plan(_ yaml: String, sockets: [HostSocket], engine: EngineSnapshot = .unreachable) throws -> DeploymentPlan {
        let fixture = try Fixture(["compose.yaml": yaml])
        let project = try #require(fixture.load().project)
        return Planner.plan(project: project, options: PlanOptions(), engine: engine, host: HostSnapshot(sockets: sockets))
    }

    @Test func theFirstFreePortOfTheRangeIsPickedForEachReplica() throws {
        let plan = try plan("""
        services:
          fixed: {image: x, ports: ["127.0.0.1:8001:80"]}
          web: {image: x, ports: ["8000-8010:80"], deploy: {replicas: 3}}
        """, sockets: [HostSocket(address: "0.0.0.0", port: 8000, protocol: "tcp", inode: "1", process: "nginx", pid: 42),
                       HostSocket(address: "::", port: 8003, protocol: "tcp", inode: "2", v6only: true),
                       HostSocket(address: "127.0.0.1", port: 8002, protocol: "udp", inode: "3")])
        let picked = plan.containers.filter { $0.service == "web" }.map { $0.pickedPorts.map(\.port) }
        // 8000: a host process; 8001: 127.0.0.1 of 'fixed' (the wildcard binds 0.0.0.0 too); 8002 is held for udp only;
        // 8003 by an IPv6-only socket, which the wildcard's :: listener would clash with.
        #expect(picked == [[8002], [8004], [8005]], "\(picked)")
        #expect(!plan.hasErrors, "\(plan.diagnostics.map(\.message))")
    }

    @Test func anAddressSpecificRangeOnlyAvoidsItsOwnFamily() throws {
        let plan = try plan("services:\n  web: {image: x, ports: [\"127.0.0.1:8000-8002:80\"]}\n",
                            sockets: [HostSocket(address: "::", port: 8000, protocol: "tcp", inode: "1", v6only: true),
                                      HostSocket(address: "::", port: 8001, protocol: "tcp", inode: "2", v6only: false)])
        #expect(plan.containers.first?.pickedPorts.map(\.port) == [8000])
        let dual = try self.plan("services:\n  web: {image: x, ports: [\"127.0.0.1:8001-8002:80\"]}\n",
                                 sockets: [HostSocket(address: "::", port: 8001, protocol: "tcp", inode: "2", v6only: false)])
        #expect(dual.containers.first?.pickedPorts.map(\.port) == [8002])
    }

    @Test func aReplicaKeepsThePortItHas() throws {
        let engine = EngineSnapshot(reachable: true, containers: [
            .init(id: "c1", name: "t-web-1", project: "t", service: "web", number: 1, state: "running", configHash: "old",
                  publishedPorts: [.init(ip: "0.0.0.0", port: 8007, proto: "tcp", target: 80), .init(ip: "::", port: 8007, proto: "tcp", target: 80)]),
        ])
        let plan = try plan("name: t\nservices:\n  web: {image: x, ports: [\"8000-8010:80\"], environment: {A: b}}\n",
                            sockets: [HostSocket(address: "0.0.0.0", port: 8007, protocol: "tcp", inode: "1", process: "docker-proxy", pid: 9)],
                            engine: engine)
        let step = try #require(plan.containers.first { $0.service == "web" })
        #expect(step.action == .recreate)
        #expect(step.pickedPorts.map(\.port) == [8007], "\(step)")
    }

    @Test func aRangeWithEveryPortHeldIsAnErrorAtItsLine() throws {
        let plan = try plan("services:\n  web:\n    image: x\n    ports: [\"8000-8001:80\"]\n",
                            sockets: [HostSocket(address: "0.0.0.0", port: 8000, protocol: "tcp", inode: "1", process: "nginx", pid: 42),
                                      HostSocket(address: "127.0.0.1", port: 8001, protocol: "tcp", inode: "2", process: "redis", pid: 43)])
        let error = try #require(plan.diagnostics.first { $0.code == "port-range-exhausted" })
        #expect(error.location?.line == 4)
        #expect(error.message.contains("'nginx' (pid 42)") && error.message.contains("'redis' (pid 43)"), "\(error.message)")
    }

    @Test func withoutAHostScanTheRangeIsSentAsWritten() throws {
        let fixture = try Fixture(["compose.yaml": "services:\n  web: {image: x, ports: [\"8000-8010:80\"]}\n"])
        let project = try #require(fixture.load().project)
        let plan = Planner.plan(project: project, options: PlanOptions(), engine: .unreachable, host: .unknown)
        #expect(plan.containers.first?.pickedPorts.isEmpty == true)
    }

    @Test func servicesInOneNamespaceShareItsPorts() throws {
        let yaml = """
        services:
          web:
            image: x
            ports: ["8080:80"]
          sidecar:
            image: x
            network_mode: service:web
            expose: ["80"]
          metrics:
            image: x
            network_mode: service:web
            expose: ["9100"]
            deploy: {replicas: 2}
          other:
            image: x
            expose: ["80"]
        """
        let (_, diagnostics) = try check(["compose.yaml": yaml])
        let found = diagnostics.filter { $0.code == "namespace-port-conflict" }
        #expect(found.count == 2, "\(found.map(\.message))")
        let sidecar = try #require(found.first { $0.service == "sidecar" })
        #expect(sidecar.location?.line == 8 && sidecar.related.first?.location?.line == 4)
        #expect(sidecar.message.contains("port 80/tcp in the network namespace of service 'web'"))
        let metrics = try #require(found.first { $0.service == "metrics" })
        #expect(metrics.message.hasPrefix("replica 2 of service 'metrics' binds port 9100/tcp"), "\(metrics.message)")
    }
}

/// The config hash's normalisation (ServiceFingerprint): what Compose's ServiceHash leaves out does not change it,
/// and every applied key does, the reserved devices under `deploy` included.
@Suite struct FingerprintTests {
    func hash(_ lines: String) throws -> String {
        let fixture = try Fixture(["compose.yaml": "services:\n  web:\n    image: x\n" + lines])
        return ServiceFingerprint(try #require(fixture.load().project?.service(named: "web"))).hash
    }

    @Test func leftOutFieldsDoNotChangeTheHashAndAppliedOnesDo() throws {
        let plain = try hash("")
        for ignored in ["    deploy: {replicas: 3}\n", "    scale: 2\n", "    pull_policy: always\n", "    build: {context: .}\n"] {
            #expect(try hash(ignored) == plain, "\(ignored)")
        }
        for applied in ["    gpus: all\n", "    deploy: {resources: {reservations: {devices: [{capabilities: [tpu]}]}}}\n", "    blkio_config: {weight: 300}\n",
                        "    volumes: [\"./a:/a:z\"]\n", "    post_start: [{command: \"true\"}]\n", "    attach: false\n"] {
            #expect(try hash(applied) != plain, "\(applied)")
        }
    }
}
