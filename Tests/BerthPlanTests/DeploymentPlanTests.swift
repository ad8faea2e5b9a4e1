import BerthGraph
import BerthPlan
import BerthSpec
import BerthTestSupport
import Testing

@Suite struct DeploymentPlanTests {
    func project(_ yaml: String) throws -> ComposeProject {
        try #require(try Fixture(["compose.yaml": yaml]).load(projectName: "demo").project)
    }

    @Test func emptyEngineCreatesEverything() throws {
        let compose = try project("""
        services:
          db: {image: x, volumes: ["data:/data"]}
          web: {image: x, depends_on: [db], deploy: {replicas: 2}}
        volumes:
          data: {}
        """)
        let plan = DeploymentPlan.make(project: compose, graph: ServiceGraph.build(compose).0, engine: .unreachable)
        #expect(plan.networksToCreate == ["demo_default"])
        #expect(plan.volumesToCreate == ["demo_data"])
        #expect(plan.containers.map(\.name) == ["demo-db-1", "demo-web-1", "demo-web-2"])
        #expect(plan.containers.allSatisfy { $0.action == .create })
        #expect(plan.startOrder == [["db"], ["web"]])
        #expect(plan.hasChanges)
        #expect(!plan.engineReachable)
    }

    @Test func keepsRecreatesWithChangedFieldsAndFindsOrphans() throws {
        let before = try project("services:\n  a: {image: x}\n  b: {image: x, environment: {A: \"1\"}}\n")
        let after = try project("services:\n  a: {image: x}\n  b: {image: y, environment: {A: \"1\"}}\n")
        func container(_ service: Service, state: String = "running") -> EngineSnapshot.Container {
            let fingerprint = ServiceFingerprint(service)
            return .init(id: service.name, name: "demo-\(service.name)-1", project: "demo", service: service.name, state: state,
                         configHash: fingerprint.hash, config: fingerprint.canonical, number: 1, publishedPorts: [], hostNetwork: false)
        }
        let orphan = EngineSnapshot.Container(id: "o", name: "demo-gone-1", project: "demo", service: "gone", state: "running",
                                              configHash: nil, number: 1, publishedPorts: [], hostNetwork: false)
        let engine = EngineSnapshot(reachable: true, containers: before.services.map { container($0) } + [orphan],
                                    networks: [.init(name: "demo_default", subnets: [], project: "demo")])
        let unchanged = DeploymentPlan.make(project: before, graph: ServiceGraph.build(before).0, engine: engine)
        #expect(unchanged.containers.filter { $0.action != .orphan }.allSatisfy { $0.action == .keep })
        #expect(unchanged.containers.contains { $0.action == .orphan && $0.service == "gone" })
        #expect(!unchanged.hasChanges)
        let changed = DeploymentPlan.make(project: after, graph: ServiceGraph.build(after).0, engine: engine)
        let b = try #require(changed.containers.first { $0.service == "b" })
        #expect(b.action == .recreate)
        #expect(b.changedFields == ["image"])
        #expect(changed.containers.first { $0.service == "a" }?.action == .keep)
        #expect(changed.hasChanges)
        let stopped = EngineSnapshot(reachable: true, containers: before.services.map { container($0, state: "exited") },
                                     networks: engine.networks)
        #expect(DeploymentPlan.make(project: before, graph: ServiceGraph.build(before).0, engine: stopped).containers.allSatisfy { $0.action == .start })
    }

    @Test func dependentsWithRestartFollowARecreatedDependency() throws {
        let yaml = { (image: String) in
            "services:\n  db: {image: \(image)}\n  app:\n    image: x\n    depends_on: {db: {condition: service_started, restart: true}}\n  other: {image: x, depends_on: [db]}\n"
        }
        let before = try project(yaml("postgres:16"))
        let after = try project(yaml("postgres:17"))
        let containers = before.services.map { service -> EngineSnapshot.Container in
            let fingerprint = ServiceFingerprint(service)
            return .init(id: service.name, name: "demo-\(service.name)-1", project: "demo", service: service.name, state: "running",
                         configHash: fingerprint.hash, config: fingerprint.canonical, number: 1, publishedPorts: [], hostNetwork: false)
        }
        let engine = EngineSnapshot(reachable: true, containers: containers, networks: [.init(name: "demo_default", subnets: [], project: "demo")])
        let plan = DeploymentPlan.make(project: after, graph: ServiceGraph.build(after).0, engine: engine)
        let actions = Dictionary(uniqueKeysWithValues: plan.containers.map { ($0.service, $0.action) })
        #expect(actions == ["db": .recreate, "app": .restart, "other": .keep])
    }
}
