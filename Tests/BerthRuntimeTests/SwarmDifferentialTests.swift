import DockerEngine
import Foundation
import Testing

/// `check --stack` against the real scheduler, on the three-node lab. Each seed makes random node labels and a random
/// stack (replicated and global services, host-mode ports, constraints on labels, hostnames and roles,
/// `max_replicas_per_node`, CPU reservations); Berth predicts, then `docker stack deploy` (the docker CLI's own deploy,
/// so the prediction is not checked against itself) deploys it, and once the tasks settle (no state change for 20 s, or
/// 90 s at most) each service is short or not: some task Pending, or fewer running than desired.
///
/// A service predicted `unschedulable-replica` must be short, and one predicted clean must not be. A service whose
/// outcome the checker says depends on the scheduler's order (`placement-order`) is counted apart. The suite runs 5
/// fixed seeds; `scripts/swarm-differential.sh N` runs N more (BERTH_SWARM_DIFF_SEEDS).
@Suite(.serialized) struct SwarmDifferentialTests {
    static let manager = SwarmLabTests.manager
    static var host: String { SwarmLabTests.host }
    static let nodes = ["berth-node1", "berth-node2", "berth-node3"]

    /// The seeds to run: the suite's five, or those the script asks for ("FIRST:COUNT").
    static var seeds: [UInt64] {
        if let asked = ProcessInfo.processInfo.environment["BERTH_SWARM_DIFF_SEEDS"] {
            let parts = asked.split(separator: ":").compactMap { UInt64($0) }
            if parts.count == 2 { return (0..<parts[1]).map { parts[0] + $0 } }
        }
        return [11, 23, 37, 41, 59]
    }

    struct Scenario {
        var labels: [String: [String: String]] = [:]
        var yaml = ""
        var services: [String] = []
    }

    /// A random stack and node labels, the same for the same seed.
    static func scenario(seed: UInt64) -> Scenario {
        var random = SplitMix(seed: seed)
        var scenario = Scenario()
        for node in nodes {
            var labels: [String: String] = [:]
            if Int.random(in: 0..<3, using: &random) > 0 { labels["zone"] = ["a", "b"].randomElement(using: &random)! }
            if Bool.random(using: &random) { labels["disk"] = "ssd" }
            scenario.labels[node] = labels
        }
        let constraints = ["node.labels.zone==a", "node.labels.zone!=b", "node.labels.disk==ssd", "node.role==manager", "node.role!=manager",
                           "node.hostname==berth-node2", "node.hostname!=berth-node3", "node.labels.zone==c"]
        var yaml = "version: \"3.8\"\nservices:\n"
        for index in 0..<Int.random(in: 2...4, using: &random) {
            let name = "s\(index)"
            scenario.services.append(name)
            let global = Int.random(in: 0..<10, using: &random) < 3
            yaml += "  \(name):\n    image: busybox:1.36\n    command: [sleep, \"3600\"]\n    stop_grace_period: 1s\n"
            if Bool.random(using: &random) {
                yaml += "    ports: [{target: 80, published: \([18901, 18902].randomElement(using: &random)!), mode: host}]\n"
            }
            yaml += "    deploy:\n      endpoint_mode: dnsrr\n"
            yaml += global ? "      mode: global\n" : "      replicas: \(Int.random(in: 1...4, using: &random))\n"
            var placement: [String] = []
            if Int.random(in: 0..<10, using: &random) < 4 { placement.append("constraints: [\"\(constraints.randomElement(using: &random)!)\"]") }
            if !global && Int.random(in: 0..<4, using: &random) == 0 { placement.append("max_replicas_per_node: \(Int.random(in: 1...2, using: &random))") }
            if !placement.isEmpty { yaml += "      placement: {\(placement.joined(separator: ", "))}\n" }
            if Int.random(in: 0..<10, using: &random) < 3 {
                yaml += "      resources: {reservations: {cpus: \"\(["0.5", "0.8", "1.2", "1.6"].randomElement(using: &random)!)\"}}\n"
            }
        }
        scenario.yaml = yaml
        return scenario
    }

    func docker(_ arguments: [String], in directory: URL = URL(fileURLWithPath: "/")) throws -> (status: Int32, out: String) {
        try CIIntegrationTests.shell(["docker", "-H", Self.host] + arguments, in: directory)
    }

    /// Sets each node's labels to the scenario's (zone and disk only; others are left alone).
    func label(_ scenario: Scenario) throws {
        for node in Self.nodes {
            for key in ["zone", "disk"] { _ = try docker(["node", "update", "--label-rm", key, node]) }
            var arguments = ["node", "update"]
            for (key, value) in scenario.labels[node] ?? [:] { arguments += ["--label-add", "\(key)=\(value)"] }
            if arguments.count > 2 { _ = try docker(arguments + [node]) }
        }
    }

    /// Each service's outcome once the tasks settle: short (some task Pending, or fewer running than desired) or not.
    func settle(_ client: DockerClient, stack: String) async throws -> [String: Bool] {
        let started = ContinuousClock.now
        var last = ""
        var changed = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(90) {
            let tasks = try await client.listTasks(filters: ["label": ["com.docker.stack.namespace=\(stack)"]])
            let state = tasks.map { "\($0.id) \($0.state) \($0.desiredState)" }.sorted().joined(separator: "\n")
            if state != last { last = state; changed = ContinuousClock.now }
            if ContinuousClock.now - changed >= .seconds(20) && !tasks.isEmpty { break }
            try await Task.sleep(for: .seconds(1))
        }
        let services = try await client.listServices(filters: ["label": ["com.docker.stack.namespace=\(stack)"]])
        let tasks = try await client.listTasks(filters: ["label": ["com.docker.stack.namespace=\(stack)"], "desired-state": ["running"]])
        var short: [String: Bool] = [:]
        for service in services {
            let name = String(service.name.dropFirst(stack.count + 1))
            let mine = tasks.filter { $0.serviceID == service.id }
            let pending = mine.contains { $0.state == "pending" }
            short[name] = pending || (service.runningTasks ?? 0) < (service.desiredTasks ?? 0)
        }
        return short
    }

    @Test(.enabled(if: SwarmLabTests.available && PictureTests.tool("docker") != nil, "swarm: needs scripts/swarm-lab.sh up 3 and the docker CLI"))
    func checkStackAgainstTheScheduler() async throws {
        let client = try DockerClient(endpoint: DockerEndpoint(transport: .unix(path: Self.manager)))
        defer { Task { await client.shutdown() } }
        var decided = 0, races = 0, mismatches: [String] = []
        var lines: [String] = []
        defer {
            for node in Self.nodes { for key in ["zone", "disk"] { _ = try? docker(["node", "update", "--label-rm", key, node]) } }
        }
        for seed in Self.seeds {
            let scenario = Self.scenario(seed: seed)
            let project = try EngineProject(scenario.yaml)
            let stack = "diff\(seed)"
            try label(scenario)
            let checked = try project.berth(["-H", Self.host, "check", "--stack", stack, "--format", "json"])
            let report = try JSONSerialization.jsonObject(with: Data(checked.out.utf8)) as? [String: Any]
            let diagnostics = report?["diagnostics"] as? [[String: Any]] ?? []
            let unschedulable = Set(diagnostics.filter { $0["code"] as? String == "unschedulable-replica" }.compactMap { $0["service"] as? String })
            let raced = Set(diagnostics.filter { $0["code"] as? String == "placement-order" }.compactMap { $0["service"] as? String })
            #expect(!diagnostics.contains { $0["severity"] as? String == "error" && $0["code"] as? String != "unschedulable-replica" },
                    "seed \(seed): only placement errors expected: \(diagnostics)")

            let deployed = try docker(["stack", "deploy", "--resolve-image", "never", "-c", "compose.yaml", stack], in: project.directory)
            #expect(deployed.status == 0, "seed \(seed): \(deployed.out)")
            let observed = try await settle(client, stack: stack)
            _ = try docker(["stack", "rm", stack])
            for _ in 0..<120 {
                if try await client.listTasks(filters: ["label": ["com.docker.stack.namespace=\(stack)"]]).isEmpty { break }
                try await Task.sleep(for: .milliseconds(500))
            }

            for service in scenario.services {
                let short = observed[service] ?? false
                if raced.contains(service) {
                    races += 1
                    lines.append("seed \(seed) \(service): order-dependent (observed \(short ? "short" : "placed"))")
                    continue
                }
                decided += 1
                let predicted = unschedulable.contains(service)
                lines.append("seed \(seed) \(service): predicted \(predicted ? "short" : "placed"), observed \(short ? "short" : "placed")")
                if predicted != short { mismatches.append("seed \(seed) \(service): predicted \(predicted ? "short" : "placed"), observed \(short ? "short" : "placed")\n\(scenario.labels)\n\(scenario.yaml)") }
            }
        }
        print("swarm-differential: \(Self.seeds.count) stacks, \(decided) services predicted, \(decided - mismatches.count) agreed, \(races) order-dependent")
        for line in lines { print("swarm-differential: \(line)") }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n---\n"))")
    }
}
