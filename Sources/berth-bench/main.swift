// Benchmark helpers (not part of berth): generate stacks, the raw libyaml baseline, and a naive all-pairs port check.
import BerthPlan
import BerthSpec
import BerthYAML
import DockerEngine
import Foundation

let arguments = CommandLine.arguments

func usage() -> Never {
    FileHandle.standardError.write(Data("""
    usage: berth-bench generate N FILE | events FILE | naive-check FILE | coverage
           berth-bench generate-tiers N FILE | generate-chain N FILE
           berth-bench floor-up FILE PROJECT [N] | floor-down PROJECT [N]   (N: containers in flight at once; default: all for up, 4 for down)

    """.utf8))
    exit(64)
}

/// The required argument at `index`; a missing one prints the usage (exit 64), never an out-of-range trap.
func argument(_ index: Int) -> String {
    guard arguments.count > index else { usage() }
    return arguments[index]
}

if arguments.count == 2, arguments[1] == "coverage" {
    // The coverage table of docs/compose-coverage.md, from the decoder's key table.
    print(ComposeKeys.coverageTable(), terminator: "")
    exit(0)
}
guard arguments.count >= 3 else { usage() }
switch arguments[1] {
case "generate":
    // N services (up to 10,000), three published ports each below the ephemeral range, a host-network service every 50,
    // and a conflict every 500 services.
    let count = Int(arguments[2]) ?? 1000
    var text = "services:\n"
    for i in 0..<count {
        let base = 1_024 + (i * 3) % 31_500
        text += "  svc\(i):\n    image: busybox:1.36\n    command: [\"sleep\", \"300\"]\n"
        text += "    environment:\n      INDEX: \"\(i)\"\n      ROLE: worker\n"
        if i % 50 == 0 {
            text += "    network_mode: host\n    expose: [\"\(base + 1)\"]\n"
            continue
        }
        let clash = i % 500 == 1 ? base - 6 : base
        text += "    ports:\n      - \"\(clash):80\"\n      - \"127.0.0.1:\(base + 1):81\"\n      - \"\(base + 2):53/udp\"\n"
        if i > 0 { text += "    depends_on: [svc\(i - 1)]\n" }
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: argument(3)))
case "events":
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: arguments[2])))
    var events = 0
    _ = YAMLEventReader.read(bytes) { _ in events += 1; return true }
    print("\(events) events")
case "naive-check":
    let result = ProjectLoader.load(ProjectOptions(files: [arguments[2]], environment: [:], currentDirectory: "/"))
    guard let project = result.project else { exit(1) }
    let claims = PreflightChecker(project: project, options: .init()).collectClaims().0
    var conflicts = 0
    for i in claims.indices {
        for j in claims.indices where j > i && claims[i].overlaps(claims[j]) { conflicts += 1 }
    }
    print("\(claims.count) claims, \(conflicts) conflicts (all pairs)")
case "generate-tiers":
    // N services in three levels: a third depend on nothing, a third on one of those, a third on one of the second.
    let count = Int(arguments[2]) ?? 30
    let tier = max(count / 3, 1)
    var text = "services:\n"
    for i in 0..<count {
        text += "  s\(i):\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n    init: true\n"
        if i >= tier { text += "    depends_on: [s\(i - tier)]\n" }
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: argument(3)))
case "generate-chain":
    // N services, each waiting for the previous one to be healthy; healthy as soon as the first probe runs.
    let count = Int(arguments[2]) ?? 5
    var text = "services:\n"
    for i in 0..<count {
        text += "  c\(i):\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n    init: true\n"
        text += "    healthcheck: {test: [\"CMD\", \"true\"], interval: 1s, retries: 3}\n"
        if i > 0 { text += "    depends_on: {c\(i - 1): {condition: service_healthy}}\n" }
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: argument(3)))
case "floor-up":
    // The engine's floor: the same containers as `berth up -d`, created and started straight through the API, each
    // as soon as what it depends on is started (or healthy), with no checks, hashing or images step.
    let result = ProjectLoader.load(ProjectOptions(files: [arguments[2]], projectName: argument(3), environment: [:], currentDirectory: "/"))
    guard let project = result.project else { exit(1) }
    let client = DockerClient()
    let slots = Slots(arguments.count > 4 ? Int(arguments[4]) ?? 1_000 : 1_000)
    let network = "\(project.name)_default"
    if try await client.listNetworks(filters: ["name": [network]]).isEmpty {
        _ = try await client.createNetwork(["Name": .string(network), "CheckDuplicate": true, "Labels": ["floor": .string(project.name)]])
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
        let started = StartedSet()
        for service in project.services {
            group.addTask {
                for dependency in service.dependsOn { await started.wait(dependency.service) }
                await slots.take()
                var body: [String: JSONValue] = [
                    "Image": .string(service.image ?? ""), "Cmd": .array((service.command ?? []).map(JSONValue.string)),
                    "Labels": ["floor": .string(project.name)],
                    "HostConfig": ["Init": true, "NetworkMode": .string(network)],
                ]
                if let health = service.healthcheck, let test = health.test {
                    body["Healthcheck"] = ["Test": .array(test.map(JSONValue.string)), "Interval": 1_000_000_000, "Retries": 3]
                }
                let (id, _) = try await client.createContainer(name: "\(project.name)-\(service.name)-1", body: .object(body))
                try await client.startContainer(id)
                if service.healthcheck != nil {
                    let since = Int(Date().timeIntervalSince1970) - 2
                    for try await event in client.events(since: since, filters: ["container": [id], "event": ["health_status"]])
                    where event.action == "health_status: healthy" {
                        break
                    }
                }
                await slots.give()
                await started.mark(service.name)
            }
        }
        try await group.waitForAll()
    }
    await client.shutdown()
case "floor-down":
    let client = DockerClient()
    let concurrency = arguments.count > 3 ? Int(arguments[3]) ?? 4 : 4
    let containers = try await client.listContainers(all: true, filters: ["label": ["floor=\(arguments[2])"]])
    try await withThrowingTaskGroup(of: Void.self) { group in
        for (index, container) in containers.enumerated() {
            let id = container.id
            if index >= concurrency { try await group.next() }
            group.addTask {
                try await client.stopContainer(id, timeout: 10)
                try await client.removeContainer(id, force: true)
            }
        }
        try await group.waitForAll()
    }
    for network in try await client.listNetworks(filters: ["label": ["floor=\(arguments[2])"]]) {
        do {
            try await client.removeNetwork(network.id)
        } catch {
            // Engine 20.10 can keep a stale endpoint count after heavy parallel removal; only a restart clears it.
            FileHandle.standardError.write(Data("floor-down: network \(network.name) left behind: \(error)\n".utf8))
            exit(3)
        }
    }
    await client.shutdown()
default:
    exit(64)
}

/// At most N tasks in flight at once.
actor Slots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = max(count, 1) }

    func take() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func give() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Services that have started, for the floor's dependency order.
actor StartedSet {
    private var done: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    func mark(_ name: String) {
        done.insert(name)
        for waiter in waiters.removeValue(forKey: name) ?? [] { waiter.resume() }
    }

    func wait(_ name: String) async {
        if done.contains(name) { return }
        await withCheckedContinuation { waiters[name, default: []].append($0) }
    }
}
