import BerthDiagnostics
import BerthPlan
import BerthTestSupport
import Testing

/// The stack checker against a described cluster: each prediction in the scheduler's own words (the messages compared
/// here were read from `docker service ps` on the lab, docs/swarm.md), at the line that causes it.
@Suite struct StackCheckerTests {
    static let gib: Int64 = 1 << 30
    static func nodes(_ count: Int = 3, labels: [[String: String]] = []) -> [ClusterSnapshot.Node] {
        (1...count).map { index in
            ClusterSnapshot.Node(id: "id\(index)", hostname: "n\(index)", role: index == 1 ? "manager" : "worker",
                                 labels: labels.indices.contains(index - 1) ? labels[index - 1] : [:], nanoCPUs: 2_000_000_000, memoryBytes: 24 * gib)
        }
    }

    func check(_ yaml: String, cluster: ClusterSnapshot = ClusterSnapshot(nodes: nodes())) throws -> [Diagnostic] {
        let loaded = try Fixture(["compose.yaml": yaml]).load(projectName: "st")
        let project = try #require(loaded.project, "\(loaded.diagnostics)")
        return StackChecker.check(project, stack: "st", cluster: cluster).diagnostics.filter { $0.code != "swarm-unsupported" }
    }

    @Test func aHostPortTakenOnEveryNodeLeavesAReplicaPending() throws {
        let diagnostics = try check("""
        services:
          web:
            image: busybox
            ports: [{target: 80, published: 18700, mode: host}]
            deploy: {replicas: 4}
        """)
        #expect(diagnostics.count == 1)
        let found = try #require(diagnostics.first)
        #expect(found.code == "unschedulable-replica" && found.severity == .error)
        #expect(found.message.contains("1 of 4 replicas of 'web' cannot be placed and stay Pending: no suitable node (host-mode port already in use on 3 nodes)"), "\(found.message)")
        #expect(found.message.contains("no node left with host port 18700/tcp free: nodes n1, n2, n3 hold it (web.1, web.2, web.3)"), "\(found.message)")
        #expect(found.location?.line == 4 && found.location?.column == 13, "at the port")
    }

    @Test func anotherStacksTasksHoldPortsAndReservations() throws {
        let cluster = ClusterSnapshot(nodes: Self.nodes(), tasks: [
            .init(service: "other_web", name: "other_web.1", stack: "other", nodeID: "id2", hostPorts: [.init(18700)]),
            .init(service: "other_db", name: "other_db.1", stack: "other", nodeID: "id3", nanoCPUs: 1_500_000_000),
            // The stack's own tasks are replaced by the deploy: they hold nothing.
            .init(service: "st_web", name: "st_web.1", stack: "st", nodeID: "id1", hostPorts: [.init(18700)]),
        ])
        let diagnostics = try check("""
        services:
          web:
            image: busybox
            ports: [{target: 80, published: 18700, mode: host}]
            deploy: {replicas: 3}
          big:
            image: busybox
            deploy: {replicas: 5, resources: {reservations: {cpus: "1"}}}
        """, cluster: cluster)
        let web = try #require(diagnostics.first { $0.service == "web" })
        #expect(web.message.contains("1 of 3 replicas") && web.message.contains("nodes n1, n2, n3 hold it (web.1, other_web.1, web.2)"), "\(web.message)")
        let big = try #require(diagnostics.first { $0.service == "big" })
        #expect(big.message.contains("1 of 5 replicas of 'big'") && big.message.contains("insufficient resources on 3 nodes"), "\(big.message)")
        #expect(big.location?.line == 8, "at resources:")
    }

    @Test func constraintsMaxReplicasAndMixedReasons() throws {
        let cluster = ClusterSnapshot(nodes: Self.nodes(labels: [["zone": "a"], ["zone": "b"], [:]]))
        let diagnostics = try check("""
        services:
          nowhere:
            image: busybox
            deploy: {placement: {constraints: [node.labels.zone==c]}}
          capped:
            image: busybox
            deploy: {replicas: 5, placement: {max_replicas_per_node: 1}}
          manager:
            image: busybox
            ports: [{target: 80, published: 18802, mode: host}]
            deploy: {replicas: 2, placement: {constraints: [node.role==manager], max_replicas_per_node: 1}}
          fine:
            image: busybox
            deploy: {replicas: 6, placement: {constraints: [node.labels.zone!=b]}}
        """, cluster: cluster)
        let byService = Dictionary(diagnostics.map { ($0.service ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byService["nowhere"]?.message.contains("1 of 1 replicas of 'nowhere' cannot be placed and stay Pending: no suitable node (scheduling constraints not satisfied on 3 nodes)") == true)
        #expect(byService["nowhere"]?.location?.line == 4)
        #expect(byService["capped"]?.message.contains("2 of 5 replicas of 'capped' cannot be placed and stay Pending: no suitable node (max replicas per node limit exceed)") == true, "\(byService["capped"]?.message ?? "")")
        // Seen on the lab: the node that took one task fails on its own port, the others on the constraint.
        #expect(byService["manager"]?.message.contains("no suitable node (scheduling constraints not satisfied on 2 nodes; host-mode port already in use on 1 node)") == true, "\(byService["manager"]?.message ?? "")")
        #expect(byService["fine"] == nil && diagnostics.count == 3, "\(diagnostics.map(\.message))")
    }

    @Test func globalServices() throws {
        let cluster = ClusterSnapshot(nodes: Self.nodes(), tasks: [
            .init(service: "other_web", name: "other_web.1", stack: "other", nodeID: "id2", hostPorts: [.init(18700)]),
        ])
        let diagnostics = try check("""
        services:
          agent:
            image: busybox
            ports: [{target: 80, published: 18700, mode: host}]
            deploy: {mode: global}
          lonely:
            image: busybox
            deploy: {mode: global, placement: {constraints: [node.hostname==n9]}}
          everywhere:
            image: busybox
            deploy: {mode: global, resources: {reservations: {cpus: "2"}}}
        """, cluster: cluster)
        let agent = try #require(diagnostics.first { $0.service == "agent" })
        #expect(agent.message.contains("the global service 'agent' stays Pending on n2 (host-mode port already in use on 1 node)"), "\(agent.message)")
        let lonely = try #require(diagnostics.first { $0.service == "lonely" })
        #expect(lonely.code == "no-eligible-node" && lonely.severity == .warning)
        #expect(!diagnostics.contains { $0.service == "everywhere" }, "2 CPUs fit a 2-CPU node: equality passes")
    }

    @Test func competingServicesDependOnTheSchedulersOrder() throws {
        let diagnostics = try check("""
        services:
          agent:
            image: busybox
            ports: [{target: 80, published: 18901, mode: host}]
            deploy: {mode: global}
          web:
            image: busybox
            ports: [{target: 80, published: 18901, mode: host}]
            deploy: {replicas: 1}
        """)
        #expect(diagnostics.count == 2 && diagnostics.allSatisfy { $0.code == "placement-order" }, "\(diagnostics.map(\.message))")
        #expect(diagnostics.first { $0.service == "web" }?.message.contains("it and 'agent' (0 to 1 of 1 placed): they compete for host port 18901/tcp") == true)
    }

    @Test func dependencyLevelsFixTheOrder() throws {
        // The deploy waits for db to be healthy before it creates web: db takes every node's port first, for certain.
        let diagnostics = try check("""
        services:
          db:
            image: busybox
            ports: [{target: 80, published: 18901, mode: host}]
            healthcheck: {test: [CMD, "true"]}
            deploy: {mode: global}
          web:
            image: busybox
            ports: [{target: 80, published: 18901, mode: host}]
            depends_on: {db: {condition: service_healthy}}
        """)
        #expect(diagnostics.count == 1 && diagnostics.first?.service == "web" && diagnostics.first?.code == "unschedulable-replica", "\(diagnostics.map(\.message))")
    }

    @Test func ingressPortsAndConstraintsSwarmRefuses() throws {
        let cluster = ClusterSnapshot(nodes: Self.nodes(), published: [.init(service: "other_web", stack: "other", port: .init(8080)),
                                                                     .init(service: "other_api", stack: "other", port: .init(7070), ingress: false)])
        let diagnostics = try check("""
        services:
          web:
            image: busybox
            ports: ["8080:80"]
          dns:
            image: busybox
            ports: ["9090:80"]
            deploy: {endpoint_mode: dnsrr}
          api:
            image: busybox
            ports: ["7070:80", {target: 81, published: 8080, mode: host}]
          odd:
            image: busybox
            deploy: {placement: {constraints: ["node.labels.zone = a", "node.label.zone==a"]}}
        """, cluster: cluster)
        #expect(diagnostics.contains { $0.code == "ingress-port-conflict" && $0.service == "web" && $0.message.contains("already in use by service 'other_web' as an ingress port") && $0.location?.line == 4 })
        #expect(diagnostics.contains { $0.code == "ingress-port-conflict" && $0.service == "dns" && $0.message.contains("dnsrr") })
        #expect(diagnostics.filter { $0.service == "api" }.map(\.message).sorted() == [
            "port 7070/tcp is already in use by service 'other_api' as a host-published port: swarm refuses to create 'st_api'",
            "port 8080/tcp is already in use by service 'other_web' as an ingress port: swarm refuses to create 'st_api'",
        ], "both ways between the modes")
        #expect(diagnostics.contains { $0.code == "invalid-constraint" && $0.severity == .error && $0.message.contains("'node.labels.zone = a'") })
        #expect(diagnostics.contains { $0.code == "invalid-constraint" && $0.severity == .warning && $0.message.contains("'node.label.zone'") })
    }

    @Test func keysTheManagersAPIIsTooOldForAndNamesThatCannotRoll() throws {
        let cluster = ClusterSnapshot(nodes: Self.nodes(), apiVersion: "1.41")
        let diagnostics = try check("""
        services:
          web:
            image: busybox
            healthcheck: {test: [CMD, "true"], start_interval: 1s}
            configs: [page]
        configs:
          page: {name: fixed-page, content: hello}
        """, cluster: cluster)
        #expect(diagnostics.contains { $0.code == "needs-newer-engine" && $0.message.contains("needs engine API 1.44; this swarm's manager speaks 1.41") })
        #expect(diagnostics.contains { $0.code == "object-cannot-roll" && $0.message.contains("keeps the name 'fixed-page'") && $0.location?.line == 7 })
    }

    @Test func portsHeldOutsideSwarmOnNodesTheServiceCanUse() throws {
        var cluster = ClusterSnapshot(nodes: Self.nodes())
        cluster.outside = [.init(nodeID: "id2", port: .init(18950), holder: "container 'plain'")]
        let diagnostics = try check("""
        services:
          web:
            image: busybox
            ports: [{target: 80, published: 18950, mode: host}]
          pinned:
            image: busybox
            ports: [{target: 80, published: 18950, mode: host}]
            deploy: {placement: {constraints: [node.hostname==n1]}}
          other:
            image: busybox
            ports: [{target: 80, published: 18950, protocol: udp, mode: host}]
        """, cluster: cluster).filter { $0.code == "port-held-outside-swarm" }
        #expect(diagnostics.count == 1 && diagnostics.first?.service == "web" && diagnostics.first?.location?.line == 4, "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("host port 18950/tcp is held on n2 by container 'plain', which is not a swarm task") == true)
    }

    @Test func constraintMatching() throws {
        let node = ClusterSnapshot.Node(id: "abc", hostname: "Node-1", role: "manager", address: "10.213.0.11", labels: ["zone": "A"], engineLabels: ["tier": "x"])
        #expect(SwarmConstraint("node.hostname == node-1")?.matches(node) == true, "values ignore case")
        #expect(SwarmConstraint("node.labels.zone==a")?.matches(node) == true)
        #expect(SwarmConstraint("node.labels.Zone==a")?.matches(node) == false, "label keys are case-sensitive")
        #expect(SwarmConstraint("node.labels.rack!=r1")?.matches(node) == true, "a missing label is \"\"")
        #expect(SwarmConstraint("engine.labels.tier==x")?.matches(node) == true)
        #expect(SwarmConstraint("node.ip==10.213.0.0/24")?.matches(node) == true && SwarmConstraint("node.ip==10.9.0.0/16")?.matches(node) == false)
        #expect(SwarmConstraint("node.role!=worker")?.matches(node) == true)
        #expect(SwarmConstraint("zone")  == nil && SwarmConstraint("node.role==") == nil)
        #expect(SwarmConstraint("node.labels.a==b=c") == nil && SwarmConstraint("node.labels.zoné==a") == nil, "swarm's ASCII patterns")
        #expect(SwarmConstraint("node.ip!=not-an-address")?.matches(node) == false, "a malformed address matches under neither operator")
    }

    @Test func aLoneServiceOnManyNodesIsPredictedWithoutExploring() throws {
        // 30 equal nodes and 40 replicas at most 1 per node: the count is the nodes' room, whatever ties the scheduler breaks.
        let many = (1...30).map { ClusterSnapshot.Node(id: "id\($0)", hostname: "n\($0)", nanoCPUs: 2_000_000_000, memoryBytes: 24 * Self.gib) }
        let diagnostics = try check("""
        services:
          web:
            image: busybox
            deploy: {replicas: 40, placement: {max_replicas_per_node: 1}}
        """, cluster: ClusterSnapshot(nodes: many))
        #expect(diagnostics.count == 1 && diagnostics.first?.message.contains("10 of 40 replicas of 'web' cannot be placed") == true, "\(diagnostics.map(\.message))")
    }

    @Test func competingServicesWithSpreadPreferencesAreNotPredicted() throws {
        let diagnostics = try check("""
        services:
          a:
            image: busybox
            ports: [{target: 80, published: 18901, mode: host}]
            deploy: {replicas: 2, placement: {preferences: [{spread: node.labels.zone}]}}
          b:
            image: busybox
            ports: [{target: 80, published: 18901, mode: host}]
        """)
        #expect(diagnostics.count == 2 && diagnostics.allSatisfy { $0.code == "placement-order" && $0.message.contains("spread preferences") }, "\(diagnostics.map(\.message))")
    }
}
