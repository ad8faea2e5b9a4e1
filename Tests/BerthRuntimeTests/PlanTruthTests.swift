import DockerEngine
import Foundation
import Testing

/// The plan is the truth: random edits of a stack on the real engine, and before each `up -d --remove-orphans`, the
/// plan for the same options. What the plan said must be what happened, read from container IDs and start times.
/// `BERTH_PLAN_TRUTH_EDITS` (per seed) and `BERTH_PLAN_TRUTH_SEEDS` make longer runs (scripts/plan-truth.sh).
@Suite(.serialized) struct PlanTruthTests {
    static let seeds: [UInt64] = (ProcessInfo.processInfo.environment["BERTH_PLAN_TRUTH_SEEDS"] ?? "7,42")
        .split(separator: ",").compactMap { UInt64($0) }
    static let editsPerSeed = Int(ProcessInfo.processInfo.environment["BERTH_PLAN_TRUTH_EDITS"] ?? "") ?? 20

    @Test(.enabled(if: Engine.available, "plan truth: needs a Docker engine (scripts/start-engine.sh)"), arguments: seeds)
    func planAgreesWithWhatUpDid(seed: UInt64) async throws {
        var random = SplitMix(seed: seed)
        var stack = Stack(portBase: 26000 + Int(seed % 40) * 100)
        let project = try EngineProject(stack.yaml)
        let client = DockerClient()
        var steps = 0
        var agreed = 0
        var tally: [String: Int] = [:]
        var log: [String] = []
        defer { _ = try? project.berth(["down", "-p", project.name, "-t", "0"]) }
        for edit in 0...Self.editsPerSeed {
            if edit > 0 {
                let what = try await stack.edit(&random, project: project, client: client)
                log.append(what)
            }
            try Data(stack.yaml.utf8).write(to: project.directory.appendingPathComponent("compose.yaml"))
            let planned = try project.berth(["plan", "--format", "json", "--remove-orphans", "--no-check", "-p", project.name])
            #expect(planned.status != 1, "plan failed after \(log.last ?? "start"): \(planned.err)")
            let plan = try JSONSerialization.jsonObject(with: Data(planned.out.utf8)) as? [String: Any] ?? [:]
            let before = try await State.read(client, project: project.name)
            let up = try project.berth(["up", "-d", "--remove-orphans", "--no-check", "--progress", "quiet", "-p", project.name])
            #expect(up.status == 0, "up failed after \(log.last ?? "start"): \(up.err)")
            let after = try await State.read(client, project: project.name)
            for step in plan["containers"] as? [[String: Any]] ?? [] {
                steps += 1
                let name = step["name"] as? String ?? "", action = step["action"] as? String ?? ""
                let old = before.byName[name], new = after.byName[name]
                let happened: Bool = switch action {
                case "create": old == nil && new?.running == true
                case "recreate": old != nil && new != nil && old?.id != new?.id && new?.running == true
                case "keep": old != nil && old?.id == new?.id && old?.startedAt == new?.startedAt && new?.running == true
                case "start": old != nil && old?.running == false && old?.id == new?.id && new?.running == true
                case "restart": old != nil && old?.id == new?.id && old?.startedAt != new?.startedAt && new?.running == true
                case "remove": new == nil && !after.ids.contains(step["id"] as? String ?? "")
                default: false
                }
                if happened { agreed += 1 }
                tally[action, default: 0] += 1
                #expect(happened, "seed \(seed), after \(log.last ?? "start"): the plan said \(action) for \(name); before \(String(describing: old)), after \(String(describing: new))")
            }
            // Nothing happened that the plan did not say.
            let planned_names = Set((plan["containers"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
            let unplanned = Set(after.byName.keys).subtracting(planned_names)
            #expect(unplanned.isEmpty, "seed \(seed): containers the plan did not mention: \(unplanned)")
            // After up, the plan has nothing left to do but start one-shot services (there are none here).
            let settled = try project.berth(["plan", "--remove-orphans", "--no-check", "-p", project.name])
            #expect(settled.status == 0, "seed \(seed), after \(log.last ?? "start"): up left work to do:\n\(settled.out)")
        }
        await client.shutdown()
        print("plan-truth: seed \(seed): \(Self.editsPerSeed) edits, \(agreed)/\(steps) planned container steps happened as planned (\(tally.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))")
    }
}

/// The containers of a project as the engine has them.
struct State {
    struct Container: CustomStringConvertible {
        var id: String
        var running: Bool
        var startedAt: String
        var description: String { "\(id.prefix(12)) \(running ? "running" : "stopped") started \(startedAt)" }
    }

    var byName: [String: Container] = [:]
    var ids: Set<String> = []

    static func read(_ client: DockerClient, project: String) async throws -> State {
        var state = State()
        for summary in try await client.listContainers(all: true, filters: ["label": ["com.docker.compose.project=\(project)"]]) {
            let details = try await client.inspectContainer(summary.id)
            state.byName[summary.name] = Container(id: summary.id, running: details.state.running, startedAt: details.state.startedAt)
            state.ids.insert(summary.id)
        }
        return state
    }
}

/// A small deterministic random source, so a failing seed can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The stack the edits work on: long-lived `init: true` services, some published, one with a `restart: true`
/// dependency.
struct Stack {
    struct Service {
        var name: String
        var env = 0
        var label = 0
        var scale = 1
        var port: Int?
        var dependsOn: String?
        var restart = false
    }

    var services: [Service]
    var portBase: Int
    var nextName = 0
    var nextPort = 0

    init(portBase: Int) {
        self.portBase = portBase
        services = [
            Service(name: "db"),
            Service(name: "app", dependsOn: "db", restart: true),
            Service(name: "web", port: portBase, dependsOn: "app"),
            Service(name: "worker", scale: 2),
        ]
        nextPort = 1
    }

    var yaml: String {
        var text = "services:\n"
        for service in services {
            text += "  \(service.name):\n    image: busybox:1.36\n    init: true\n    command: [\"sleep\", \"3600\"]\n"
            text += "    environment: {EDIT: \"\(service.env)\"}\n    labels: {edit: \"\(service.label)\"}\n"
            if service.scale != 1 { text += "    scale: \(service.scale)\n" }
            if let port = service.port { text += "    ports: [\"127.0.0.1:\(port):80\"]\n" }
            if let dependency = service.dependsOn, services.contains(where: { $0.name == dependency }) {
                text += "    depends_on:\n      \(dependency): {condition: service_started, restart: \(service.restart)}\n"
            }
        }
        return text
    }

    /// One random edit; returns what it did.
    mutating func edit(_ random: inout SplitMix, project: EngineProject, client: DockerClient) async throws -> String {
        let index = Int.random(in: 0..<services.count, using: &random)
        let name = services[index].name
        switch Int.random(in: 0..<9, using: &random) {
        case 0:
            services[index].env += 1
            return "environment of \(name)"
        case 1:
            services[index].label += 1
            return "labels of \(name)"
        case 2:
            guard services[index].port != nil || services[index].scale == 1 else { return "nothing" }
            services[index].port = portBase + nextPort
            services[index].scale = 1
            nextPort += 1
            return "port of \(name)"
        case 3:
            guard services[index].port == nil else { return "nothing (\(name) publishes a port)" }
            services[index].scale = Int.random(in: 0...3, using: &random)
            return "scale of \(name) to \(services[index].scale)"
        case 4:
            nextName += 1
            services.append(Service(name: "extra\(nextName)", scale: Int.random(in: 1...2, using: &random)))
            return "service extra\(nextName) added"
        case 5:
            guard services.count > 2, name != "db", name != "app" else { return "nothing" }
            services.remove(at: index)
            return "service \(name) removed"
        case 6:
            if let db = services.firstIndex(where: { $0.name == "db" }) { services[db].env += 1 }
            return "environment of db (app restarts)"
        case 7:
            let running = try await client.listContainers(all: false, filters: ["label": ["com.docker.compose.project=\(project.name)"]])
            guard let victim = running.randomElement(using: &random) else { return "nothing to stop" }
            try await client.stopContainer(victim.id, timeout: 0)
            return "\(victim.name) stopped outside berth"
        default:
            let all = try await client.listContainers(all: true, filters: ["label": ["com.docker.compose.project=\(project.name)"]])
            guard let victim = all.randomElement(using: &random) else { return "nothing to remove" }
            try await client.removeContainer(victim.id, force: true)
            return "\(victim.name) removed outside berth"
        }
    }
}
