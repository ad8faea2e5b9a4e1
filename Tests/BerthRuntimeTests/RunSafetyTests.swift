import DockerEngine
import Foundation
import Testing

/// `up` when two runs meet, when one is killed or interrupted, and what a recreate keeps: on the real engine, through
/// the berth binary.
@Suite(.serialized) struct RunSafetyTests {
    /// A chain of `count` long-lived services, each depending on the previous one, so that `up` takes a while.
    /// Long enough that a kill after 4 containers lands part-way even on a busy machine.
    static let chainLength = 24

    static func chain(_ count: Int) -> String {
        var text = "services:\n"
        for index in 0..<count {
            text += "  s\(index):\n    image: busybox:1.36\n    init: true\n    command: [\"sleep\", \"3600\"]\n"
            if index > 0 { text += "    depends_on: [s\(index - 1)]\n" }
        }
        return text
    }

    func start(_ project: EngineProject, _ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = EngineProject.binary
        process.arguments = arguments
        process.currentDirectoryURL = project.directory
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, err)
    }

    /// Waits until the project has at least `count` containers.
    func waitForContainers(_ project: EngineProject, _ client: DockerClient, atLeast count: Int) async throws {
        for _ in 0..<200 {
            if try await project.containers(client).count >= count { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the project never had \(count) containers")
    }

    @Test(.enabled(if: Engine.available, "concurrent up: needs a Docker engine (scripts/start-engine.sh)"))
    func twoUpsAtTheSameMomentMakeEachContainerOnce() async throws {
        let project = try EngineProject(Self.chain(6) + "  wide:\n    image: busybox:1.36\n    init: true\n    command: [\"sleep\", \"3600\"]\n    scale: 3\n")
        defer { _ = try? project.berth(["down", "-p", project.name, "-t", "0"]) }
        let first = try start(project, ["up", "-d", "--progress", "plain", "-p", project.name])
        let second = try start(project, ["up", "-d", "--progress", "plain", "-p", project.name])
        first.0.waitUntilExit()
        second.0.waitUntilExit()
        let errors = [first.1, second.1].map { String(decoding: $0.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        #expect(first.0.terminationStatus == 0, "\(errors[0])")
        #expect(second.0.terminationStatus == 0, "\(errors[1])")
        #expect(errors.contains { $0.contains("waiting for it to finish") }, "one run waited for the other: \(errors)")
        let client = DockerClient()
        let names = try await project.containers(client).map(\.name)
        #expect(names.count == 9 && Set(names).count == 9, "\(names.sorted())")
        #expect(try await project.containers(client).allSatisfy { $0.state == "running" })
        await client.shutdown()
    }

    @Test(.enabled(if: Engine.available, "killed up: needs a Docker engine (scripts/start-engine.sh)"))
    func upKilledPartWayIsCleanedByDownAndCompletedByTheNextUp() async throws {
        let project = try EngineProject(Self.chain(Self.chainLength))
        defer { _ = try? project.berth(["down", "-p", project.name, "-t", "0"]) }
        let client = DockerClient()
        let label = ["label": ["com.docker.compose.project=\(project.name)"]]
        // Killed with SIGKILL part-way: down leaves no container and no network of the project.
        let (killed, _) = try start(project, ["up", "-d", "-p", project.name])
        try await waitForContainers(project, client, atLeast: 4)
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        let left = try await project.containers(client).count
        #expect(left >= 4 && left < Self.chainLength, "the kill came part-way (\(left) containers)")
        #expect(try project.berth(["down", "-p", project.name, "-t", "0"]).status == 0)
        #expect(try await project.containers(client).isEmpty)
        #expect(try await client.listNetworks(filters: label).isEmpty)
        // Killed again; the next up starts what was created, reuses the network and brings all of them up.
        let (again, _) = try start(project, ["up", "-d", "-p", project.name])
        try await waitForContainers(project, client, atLeast: 5)
        kill(again.processIdentifier, SIGKILL)
        again.waitUntilExit()
        let finished = try project.berth(["up", "-d", "-p", project.name])
        #expect(finished.status == 0, "\(finished.err)")
        let states = try await project.containers(client).map(\.state)
        #expect(states.count == Self.chainLength && states.allSatisfy { $0 == "running" }, "\(states)")
        #expect(try await client.listNetworks(filters: label).count == 1)
        #expect(try project.berth(["plan", "-p", project.name]).status == 0)
        await client.shutdown()
    }

    @Test(.enabled(if: Engine.available, "interrupted up: needs a Docker engine (scripts/start-engine.sh)"),
          arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func interruptedUpStopsConsistentlyWithTheSignalsExitCode(signal: Int32, status: Int32) async throws {
        let project = try EngineProject(Self.chain(12))
        defer { _ = try? project.berth(["down", "-p", project.name, "-t", "0"]) }
        let client = DockerClient()
        let (process, err) = try start(project, ["up", "-d", "--progress", "plain", "-p", project.name])
        try await waitForContainers(project, client, atLeast: 3)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == status, "\(message)")
        #expect(message.contains("berth: interrupted:"), "\(message)")
        // Consistent: every container that exists runs, and the plan lists exactly the rest to create.
        let existing = try await project.containers(client)
        #expect(existing.allSatisfy { $0.state == "running" }, "\(existing.map { "\($0.name) \($0.state)" })")
        let planned = try project.berth(["plan", "--format", "json", "-p", project.name])
        let plan = try JSONSerialization.jsonObject(with: Data(planned.out.utf8)) as? [String: Any] ?? [:]
        let actions = Dictionary(uniqueKeysWithValues: (plan["containers"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0["action"] as? String ?? "") })
        for container in existing { #expect(actions[container.name] == "keep", "\(container.name): \(actions[container.name] ?? "-")") }
        #expect(actions.values.filter { $0 == "create" }.count == 12 - existing.count)
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        #expect(try project.berth(["plan", "-p", project.name]).status == 0)
        await client.shutdown()
    }

    @Test(.enabled(if: Engine.available, "anonymous volumes: needs a Docker engine (scripts/start-engine.sh)"))
    func recreateKeepsAnonymousVolumesUnlessRenewed() async throws {
        let yaml = { (edit: Int) in
            "services:\n  db:\n    image: busybox:1.36\n    init: true\n    environment: {EDIT: \"\(edit)\"}\n    volumes: [\"/var/lib/db\"]\n    command: [\"sh\", \"-c\", \"test -f /var/lib/db/seed || (cat /proc/sys/kernel/random/uuid > /var/lib/db/seed); exec sleep 3600\"]\n"
        }
        let project = try EngineProject(yaml(0))
        defer { _ = try? project.berth(["down", "-v", "-p", project.name, "-t", "0"]) }
        let client = DockerClient()
        func seed() async throws -> String {
            let id = try await project.containers(client).first?.id ?? ""
            let output = OutputCollector()
            _ = try await client.exec(id, command: ["cat", "/var/lib/db/seed"]) { _, bytes in output.append(bytes) }
            return output.text
        }
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        let first = try await seed()
        #expect(first.count > 30)
        try Data(yaml(1).utf8).write(to: project.directory.appendingPathComponent("compose.yaml"))
        let changed = try project.berth(["plan", "-p", project.name])
        #expect(changed.out.contains("~ container \(project.name)-db-1  recreate (changed: environment)"), "\(changed.out)")
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        #expect(try await seed() == first, "a recreated container keeps its anonymous volume")
        #expect(try project.berth(["up", "-d", "-V", "-p", project.name]).status == 0)
        #expect(try await seed() != first, "-V gives the replacement a new anonymous volume")
        // down -v removes the anonymous volumes of the project's containers too, as Compose does.
        let anonymous = try await project.containers(client).first?.mounts.compactMap(\.name) ?? []
        #expect(anonymous.count == 1)
        #expect(try project.berth(["down", "-v", "-p", project.name, "-t", "0"]).status == 0)
        let left = Set(try await client.listVolumes().map(\.name))
        #expect(anonymous.allSatisfy { !left.contains($0) }, "\(anonymous) left behind")
        await client.shutdown()
    }

    @Test(.enabled(if: Engine.available, "networks and volumes: needs a Docker engine (scripts/start-engine.sh)"))
    func changedNetworksAreRecreatedAndChangedVolumesNeedConsent() async throws {
        let yaml = { (network: Int, volume: Int) in
            """
            services:
              app:
                image: busybox:1.36
                init: true
                command: ["sh", "-c", "test -f /data/mark || echo first > /data/mark; exec sleep 3600"]
                volumes: ["data:/data"]
                networks: [inner]
            networks:
              inner: {labels: {edit: "\(network)"}}
            volumes:
              data: {labels: {edit: "\(volume)"}}

            """
        }
        let project = try EngineProject(yaml(0, 0))
        defer { _ = try? project.berth(["down", "-v", "-p", project.name, "-t", "0"]) }
        let client = DockerClient()
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        let containerBefore = try await project.containers(client).first?.id
        let networkBefore = try await client.listNetworks(filters: ["name": ["\(project.name)_inner"]]).first?.id
        // The network's labels changed: it is recreated, and the container that stays is reconnected to it.
        try Data(yaml(1, 0).utf8).write(to: project.directory.appendingPathComponent("compose.yaml"))
        let plan = try project.berth(["plan", "-p", project.name])
        #expect(plan.out.contains("~ network \(project.name)_inner  recreate (changed: labels)"), "\(plan.out)")
        #expect(plan.out.contains("= container \(project.name)-app-1  keep"), "\(plan.out)")
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        let networkAfter = try await client.listNetworks(filters: ["name": ["\(project.name)_inner"]]).first?.id
        #expect(networkAfter != nil && networkAfter != networkBefore)
        let inspected = try await client.inspectContainer(containerBefore ?? "")
        #expect(inspected.state.running && inspected.networks.keys.contains("\(project.name)_inner"))
        // The volume's labels changed: up refuses at the volume's line, and -y recreates it (its data is gone).
        try Data(yaml(1, 1).utf8).write(to: project.directory.appendingPathComponent("compose.yaml"))
        let refused = try project.berth(["up", "-d", "-p", project.name])
        #expect(refused.status == 1)
        #expect(refused.err.contains("compose.yaml:11:3: error: volume '\(project.name)_data' exists with another configuration (changed: labels)"), "\(refused.err)")
        let output = OutputCollector()
        #expect(try project.berth(["up", "-d", "-y", "-p", project.name]).status == 0)
        let id = try await project.containers(client).first?.id ?? ""
        _ = try await client.exec(id, command: ["ls", "/data"]) { _, bytes in output.append(bytes) }
        #expect(output.text.contains("mark"), "the new volume is mounted and the service wrote to it")
        #expect(try project.berth(["plan", "-p", project.name]).status == 0)
        await client.shutdown()
    }
}
