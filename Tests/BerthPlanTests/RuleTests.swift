import BerthDiagnostics
import BerthGraph
import BerthPlan
import BerthSpec
import Foundation
import BerthTestSupport
import Testing

@Suite struct RuleTests {
    @Test func networkModeWithNetworks() throws {
        let yaml = """
        services:
          a:
            image: x
            network_mode: host
            networks: [front]
          b:
            image: x
            network_mode: "service:a"
            ports: ["8080:80"]
            hostname: bee
        networks:
          front: {}
        """
        let diagnostics = try check(["compose.yaml": yaml]).1.filter { $0.code == "network-mode-conflict" }
        #expect(diagnostics.count == 3, "\(diagnostics.map(\.message))")
        let plain = "services:\n  a: {image: x, networks: [front]}\nnetworks:\n  front: {}\n"
        #expect(!codes(try check(["compose.yaml": plain]).1).contains("network-mode-conflict"))
    }

    @Test func cyclesAreWrittenAsPaths() throws {
        let yaml = """
        services:
          a: {image: x, depends_on: [b]}
          b: {image: x, depends_on: [c]}
          c: {image: x, depends_on: [a]}
          d: {image: x, depends_on: [a]}
        """
        let cycle = try #require(try check(["compose.yaml": yaml]).1.first { $0.code == "dependency-cycle" })
        #expect(cycle.message.contains("a -> b -> c -> a"))
        let fine = "services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x}\n"
        #expect(!codes(try check(["compose.yaml": fine]).1).contains("dependency-cycle"))
    }

    @Test func unknownServiceSuggestsTheName() throws {
        let yaml = "services:\n  web: {image: x, depends_on: [datbase]}\n  database: {image: x}\n"
        let unknown = try #require(try check(["compose.yaml": yaml]).1.first { $0.code == "unknown-service" })
        #expect(unknown.message.contains("did you mean 'database'?"))
        let optional = "services:\n  web:\n    image: x\n    depends_on:\n      cache: {condition: service_started, required: false}\n"
        #expect(!codes(try check(["compose.yaml": optional]).1).contains("unknown-service"))
    }

    @Test func longChainHasNoRecursionLimit() throws {
        var yaml = "services:\n  s0: {image: x}\n"
        for i in 1..<10_000 { yaml += "  s\(i): {image: x, depends_on: [s\(i - 1)]}\n" }
        let fixture = try Fixture(["compose.yaml": yaml])
        let project = try #require(fixture.load(files: ["compose.yaml"]).project)
        let (graph, diagnostics) = ServiceGraph.build(project)
        #expect(diagnostics.isEmpty)
        let order = graph.startOrder()
        #expect(order.count == 10_000)
        #expect(order.first == "s0" && order.last == "s9999")
    }

    @Test func subnetsAndAddresses() throws {
        let yaml = """
        services:
          a:
            image: x
            networks:
              front: {ipv4_address: 10.10.0.5}
              back: {ipv4_address: 10.20.0.5}
          b:
            image: x
            networks:
              front: {ipv4_address: 10.10.0.5}
              plain: {ipv4_address: 172.30.0.9}
        networks:
          front: {ipam: {config: [{subnet: 10.10.0.0/16}]}}
          back: {ipam: {config: [{subnet: 10.10.128.0/24}]}}
          plain: {}
        """
        let found = codes(try check(["compose.yaml": yaml]).1)
        #expect(found.contains("subnet-overlap"))
        #expect(found.filter { $0 == "address-out-of-subnet" }.count == 2)  // 10.20.0.5 outside back; plain has no subnet
        #expect(found.contains("address-duplicate"))
        let fine = """
        services:
          a: {image: x, networks: {front: {ipv4_address: 10.10.0.5}}}
          b: {image: x, networks: {front: {ipv4_address: 10.10.0.6}}}
        networks:
          front: {ipam: {config: [{subnet: 10.10.0.0/16}]}}
          back: {ipam: {config: [{subnet: 10.11.0.0/16}]}}
        """
        #expect(try check(["compose.yaml": fine]).1.isEmpty)
    }

    @Test func containerNames() throws {
        let yaml = """
        services:
          a: {image: x, container_name: same}
          b: {image: x, container_name: same}
          c: {image: x, container_name: solo, scale: 2}
        """
        #expect(codes(try check(["compose.yaml": yaml]).1).filter { $0 == "container-name-conflict" }.count == 2)
        let engine = EngineSnapshot(reachable: true, containers: [.init(id: "abc", name: "taken")])
        let outside = "services:\n  a: {image: x, container_name: taken}\n"
        #expect(codes(try check(["compose.yaml": outside], options: .init(engine: engine)).1) == ["container-name-conflict"])
        #expect(try check(["compose.yaml": outside]).1.isEmpty)
    }

    @Test func hostNetworkSafety() throws {
        let yaml = """
        services:
          a: {image: x, network_mode: host, privileged: true}
          b: {image: x, network_mode: host, cap_add: [NET_ADMIN]}
          c: {image: x, network_mode: host, cap_add: [SYS_TIME]}
          d: {image: x, privileged: true}
        """
        let warnings = try check(["compose.yaml": yaml]).1.filter { $0.code == "host-network-privileged" }
        #expect(warnings.map(\.service) == ["a", "b"])
        #expect(warnings.allSatisfy { $0.severity == .warning })
        let desktop = EngineSnapshot(reachable: true, osType: "windows")
        #expect(codes(try check(["compose.yaml": "services:\n  a: {image: x, network_mode: host}\n"], options: .init(engine: desktop)).1) == ["host-network-unsupported"])
    }

    @Test func externalResourcesMustExist() throws {
        let yaml = """
        services:
          a: {image: x, networks: [outside], volumes: ["data:/data"]}
        networks:
          outside: {external: true}
        volumes:
          data: {external: true}
        """
        let empty = EngineSnapshot(reachable: true)
        #expect(Set(codes(try check(["compose.yaml": yaml], options: .init(engine: empty)).1)) == ["unknown-network", "unknown-volume"])
        let present = EngineSnapshot(reachable: true, networks: [.init(name: "outside")], volumes: [.init(name: "data")])
        #expect(try check(["compose.yaml": yaml], options: .init(engine: present)).1.isEmpty)
    }

    @Test(.enabled(if: Corpus.available, "corpus checks: needs ../shared/corpus")) func corpusGivesNoFalseErrors() throws {
        let corpus = try Corpus.require()
        var checked = 0
        let walker = FileManager.default.enumerator(atPath: corpus.appendingPathComponent("awesome-compose").path)
        while let path = walker?.nextObject() as? String {
            guard path.hasSuffix("compose.yaml") || path.hasSuffix("compose.yml") else { continue }
            let file = corpus.appendingPathComponent("awesome-compose").appendingPathComponent(path)
            let loaded = ProjectLoader.load(ProjectOptions(files: [file.path], environment: [:], currentDirectory: "/"))
            let project = try #require(loaded.project)
            let (_, graphDiagnostics) = ServiceGraph.build(project)
            let report = PreflightChecker(project: project, options: .init()).run()
            #expect(!(graphDiagnostics + report.diagnostics).hasErrors, "\(path): \((graphDiagnostics + report.diagnostics).map(\.message))")
            checked += 1
        }
        for stack in ["real-stacks/sentry-self-hosted/docker-compose.yml", "real-stacks/mailcow-dockerized/docker-compose.yml",
                      "real-stacks/netbox-docker/docker-compose.yml", "real-stacks/apache-airflow/docker-compose.yaml",
                      "real-stacks/docker-jitsi-meet/docker-compose.yml", "real-stacks/docker-pi-hole/README.compose.yaml"] {
            let loaded = ProjectLoader.load(ProjectOptions(files: [corpus.appendingPathComponent(stack).path], environment: [:], currentDirectory: "/"))
            let project = try #require(loaded.project)
            let (_, graphDiagnostics) = ServiceGraph.build(project)
            let all = graphDiagnostics + PreflightChecker(project: project, options: .init()).run().diagnostics
            #expect(!all.hasErrors, "\(stack): \(all.filter { $0.severity == .error }.map(\.message))")
            checked += 1
        }
        print("corpus checks: \(checked) stacks, no false errors")
    }
}
