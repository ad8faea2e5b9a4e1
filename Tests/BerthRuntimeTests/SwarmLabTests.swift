import DockerEngine
import Foundation
import Testing

/// `berth stack` on a real three-node swarm (`scripts/swarm-lab.sh up 3`): the stack is deployed in dependency order,
/// `docker stack` sees it, a replica whose host-mode port is taken on every node stays Pending and `stack ps` says why
/// in Berth's words, a changed config rolls the service through an update (not a re-create), and `stack rm` waits
/// until everything is gone.
@Suite(.serialized) struct SwarmLabTests {
    static let manager = "/run/berth-swarm/berth-node1/docker.sock"
    static let available = FileManager.default.fileExists(atPath: manager)
    static var host: String { "unix://\(manager)" }

    static func stack(page: String, replicas: Int = 4) -> String {
        """
        services:
          db:
            image: busybox:1.36
            command: [sleep, "3600"]
            healthcheck: {test: [CMD, "true"], interval: 1s}
          web:
            image: busybox:1.36
            command: [httpd, -f, -p, "80", -h, /srv]
            configs: [{source: page, target: /srv/index.html}]
            ports: [{target: 80, published: 18700, mode: host}]
            depends_on: {db: {condition: service_healthy}}
            deploy: {replicas: \(replicas), endpoint_mode: dnsrr, labels: {team: web}}
            container_name: ignored
        configs:
          page: {content: "\(page)"}
        """
    }

    func docker(_ arguments: [String]) throws -> (status: Int32, out: String) {
        try CIIntegrationTests.shell(["docker", "-H", Self.host] + arguments, in: URL(fileURLWithPath: "/"))
    }

    /// Polls `stack ps` until `condition` holds, for up to `seconds`.
    func waitForTasks(_ project: EngineProject, _ stack: String, seconds: Int, until condition: (String) -> Bool) async throws -> String {
        var last = ""
        for _ in 0..<(seconds * 2) {
            last = try project.berth(["-H", Self.host, "stack", "ps", "--no-trunc", "--format", "{{.Name}} {{.Node}} {{.CurrentState}} {{.Error}}", stack]).out
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(500))
        }
        return last
    }

    @Test(.enabled(if: available && PictureTests.tool("docker") != nil, "swarm: needs scripts/swarm-lab.sh up 3 and the docker CLI"))
    func stackOnAThreeNodeSwarm() async throws {
        let project = try EngineProject(Self.stack(page: "hello from the swarm"))
        let stack = "lab\(UInt16.random(in: 0...UInt16.max))"
        defer { _ = try? project.berth(["-H", Self.host, "stack", "rm", stack]) }

        // Four replicas of a host-mode port on three nodes: the pre-flight check refuses, and nothing is created.
        let refused = try project.berth(["-H", Self.host, "stack", "deploy", "-c", "compose.yaml", stack])
        #expect(refused.status == 1 && refused.err.contains("1 of 4 replicas of 'web' cannot be placed and stay Pending: no suitable node (host-mode port already in use on 3 nodes)"), "\(refused.err)")
        #expect(refused.err.contains("compose.yaml:10:"), "at the port's line: \(refused.err)")
        #expect(try !docker(["stack", "ls"]).out.contains(stack), "nothing was deployed")

        try Data(Self.stack(page: "hello from the swarm", replicas: 3).utf8).write(to: project.directory.appendingPathComponent("compose.yaml"))
        let deployed = try project.berth(["-H", Self.host, "--progress", "plain", "stack", "deploy", "-c", "compose.yaml", stack])
        #expect(deployed.status == 0, "\(deployed.err)")
        #expect(deployed.err.contains("'container_name' is not applied in a swarm"), "\(deployed.err)")
        // --resolve-image always (the default) with no registry the engine reaches: the docker CLI's warning, per service.
        #expect(deployed.err.components(separatedBy: "[image-not-pinned]").count == 3, "\(deployed.err)")
        #expect(deployed.err.contains("Service \(stack)_db  Running"), "web waited for db to be healthy: \(deployed.err)")
        #expect(deployed.err.contains("Service \(stack)_db  Waiting 0/1 running"), "running/desired progress: \(deployed.err)")

        // docker stack sees Berth's stack.
        #expect(try docker(["stack", "ls"]).out.contains(stack))
        let services = try docker(["stack", "services", "--format", "{{.Name}} {{.Mode}}", stack]).out
        #expect(services.contains("\(stack)_db replicated") && services.contains("\(stack)_web replicated"), "\(services)")
        #expect(try docker(["service", "inspect", "-f", "{{index .Spec.Labels \"team\"}} {{.Spec.EndpointSpec.Mode}}", "\(stack)_web"]).out == "web dnsrr\n")

        // Three web tasks run, one per node; a fourth (scaled outside Berth) waits, and Berth says why.
        _ = try docker(["service", "scale", "--detach", "\(stack)_web=4"])
        let tasks = try await waitForTasks(project, stack, seconds: 120) { out in
            out.split(separator: "\n").filter { $0.contains(" Running ") }.count >= 4 && out.contains("Pending")
        }
        #expect(tasks.contains("no node left with host port 18700/tcp free: nodes berth-node1, berth-node2, berth-node3 hold it"), "\(tasks)")
        let web = tasks.split(separator: "\n").filter { $0.hasPrefix("\(stack)_web.") && $0.contains(" Running ") }.map { $0.split(separator: " ")[1] }
        #expect(Set(web) == ["berth-node1", "berth-node2", "berth-node3"], "one web task per node: \(tasks)")
        let page = try CIIntegrationTests.shell(["nsenter", "--net=/run/netns/berth-node2", "wget", "-qO-", "http://127.0.0.1:18700/"], in: URL(fileURLWithPath: "/"))
        #expect(page.out == "hello from the swarm", "\(page.out)")

        // A changed config is a new object: the service is updated at its version, and its tasks roll (three replicas
        // now, one per node: a replica that cannot be placed would hold the rolling update back).
        let before = try docker(["service", "inspect", "-f", "{{.ID}} {{.Version.Index}}", "\(stack)_web"]).out.split(separator: " ")
        try Data(Self.stack(page: "hello again", replicas: 3).utf8).write(to: project.directory.appendingPathComponent("compose.yaml"))
        let redeployed = try project.berth(["-H", Self.host, "--progress", "plain", "stack", "deploy", "--resolve-image", "never", "-c", "compose.yaml", stack])
        #expect(redeployed.status == 0, "\(redeployed.err)")
        let after = try docker(["service", "inspect", "-f", "{{.ID}} {{.Version.Index}}", "\(stack)_web"]).out.split(separator: " ")
        #expect(after.first == before.first && after.last != before.last, "updated, not re-created: \(before) -> \(after)")
        let configs = try docker(["config", "ls", "--filter", "label=com.docker.stack.namespace=\(stack)", "--format", "{{.Name}}"]).out
        #expect(configs.split(separator: "\n").allSatisfy { $0.hasPrefix("\(stack)_page_") && $0.count == "\(stack)_page_".count + 8 }, "\(configs)")
        var rolled = ""
        for _ in 0..<240 where !rolled.contains("hello again") {
            rolled = try CIIntegrationTests.shell(["nsenter", "--net=/run/netns/berth-node1", "wget", "-qO-", "http://127.0.0.1:18700/"], in: URL(fileURLWithPath: "/")).out
            if !rolled.contains("hello again") { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(rolled == "hello again", "\(rolled)")

        // Once the roll is over, the next deploy removes the superseded config version (no service uses it).
        var versions: [Substring] = []
        for _ in 0..<60 {
            _ = try project.berth(["-H", Self.host, "stack", "deploy", "-q", "--resolve-image", "never", "-c", "compose.yaml", stack])
            versions = try docker(["config", "ls", "--filter", "label=com.docker.stack.namespace=\(stack)", "--format", "{{.Name}}"]).out.split(separator: "\n")
            if versions.count == 1 { break }
            try await Task.sleep(for: .seconds(1))
        }
        #expect(versions.count == 1, "only the current page is left: \(versions)")

        // stack rm waits until the services and the network are gone.
        let removed = try project.berth(["-H", Self.host, "stack", "rm", stack])
        #expect(removed.status == 0, "\(removed.err)")
        #expect(try !docker(["stack", "ls"]).out.contains(stack))
        #expect(try docker(["network", "ls", "--filter", "label=com.docker.stack.namespace=\(stack)", "-q"]).out.isEmpty)
    }

    static func placed(zoned: Int, extra: Bool, env: String) -> String {
        """
        services:
          agent:
            image: busybox:1.36
            command: [sleep, "3600"]
            stop_grace_period: 1s
            secrets: [token]
            deploy: {mode: global, endpoint_mode: dnsrr}
          pinned:
            image: busybox:1.36
            command: [sleep, "3600"]
            stop_grace_period: 1s
            environment: {COLOUR: \(env)}
            deploy: {endpoint_mode: dnsrr, placement: {constraints: [node.hostname==berth-node3]}}
          zoned:
            image: busybox:1.36
            command: [sleep, "3600"]
            stop_grace_period: 1s
            deploy: {replicas: \(zoned), endpoint_mode: dnsrr, placement: {constraints: [node.labels.zone==a], max_replicas_per_node: 1}}
        \(extra ? "  extra:\n    image: busybox:1.36\n    command: [sleep, \"3600\"]\n    deploy: {endpoint_mode: dnsrr}\n" : "")
        secrets:
          token: {file: ./token.txt}
        """
    }

    /// The node each of a service's running tasks is on, by `stack ps`.
    func nodes(of service: String, _ project: EngineProject, _ stack: String) throws -> [String] {
        let out = try project.berth(["-H", Self.host, "stack", "ps", "--filter", "desired-state=running", "--format", "{{.Name}} {{.Node}} {{.CurrentState}}", stack]).out
        return out.split(separator: "\n").filter { $0.hasPrefix("\(stack)_\(service).") && $0.contains(" Running ") }.map { String($0.split(separator: " ")[1]) }.sorted()
    }

    /// A global service with a secret on every node, constraints on a hostname and on node labels with
    /// max_replicas_per_node, then a redeploy that scales, rolls a changed environment and prunes a removed service.
    @Test(.enabled(if: available && PictureTests.tool("docker") != nil, "swarm: needs scripts/swarm-lab.sh up 3 and the docker CLI"))
    func globalConstraintsSecretsScaleAndPrune() async throws {
        let project = try EngineProject(Self.placed(zoned: 3, extra: true, env: "blue"), extra: ["token.txt": "s3cret"])
        let stack = "place\(UInt16.random(in: 0...UInt16.max))"
        for (node, zone) in [("berth-node1", "a"), ("berth-node2", "a"), ("berth-node3", "b")] { _ = try docker(["node", "update", "--label-add", "zone=\(zone)", node]) }
        defer {
            _ = try? project.berth(["-H", Self.host, "stack", "rm", stack])
            for node in ["berth-node1", "berth-node2", "berth-node3"] { _ = try? docker(["node", "update", "--label-rm", "zone", node]) }
        }

        // Three zoned replicas, at most one per node, on the two zone-a nodes: refused before anything is sent.
        let checked = try project.berth(["-H", Self.host, "check", "--stack", stack])
        #expect(checked.status == 1 && checked.err.contains("1 of 3 replicas of 'zoned' cannot be placed and stay Pending: no suitable node (max replicas per node limit exceed; scheduling constraints not satisfied on 1 node)"), "\(checked.err)")
        try Data(Self.placed(zoned: 2, extra: true, env: "blue").utf8).write(to: project.directory.appendingPathComponent("compose.yaml"))
        let deployed = try project.berth(["-H", Self.host, "stack", "deploy", "--detach=false", "--resolve-image", "never", "-c", "compose.yaml", stack])
        #expect(deployed.status == 0, "\(deployed.err)")
        #expect(try nodes(of: "agent", project, stack) == ["berth-node1", "berth-node2", "berth-node3"], "a global service runs on every node")
        #expect(try nodes(of: "pinned", project, stack) == ["berth-node3"])
        #expect(try nodes(of: "zoned", project, stack) == ["berth-node1", "berth-node2"])
        #expect(try docker(["stack", "ps", "--filter", "desired-state=running", "--format", "{{.Name}}", stack]).out.split(separator: "\n").count == 7, "docker stack ps sees Berth's tasks")

        // The secret is mounted in every agent task: read it through each node's own engine.
        let client = try DockerClient(endpoint: DockerEndpoint(transport: .unix(path: Self.manager)))
        let agent = try #require(try await client.listServices(filters: ["name": ["\(stack)_agent"]]).first)
        let tasks = try await client.listTasks(filters: ["service": [agent.id], "desired-state": ["running"]])
        let hostnames = Dictionary(try await client.listNodes().map { ($0.id, $0.hostname) }, uniquingKeysWith: { a, _ in a })
        await client.shutdown()
        #expect(tasks.count == 3)
        for task in tasks {
            let node = try #require(hostnames[task.nodeID])
            let read = try CIIntegrationTests.shell(["docker", "-H", "unix:///run/berth-swarm/\(node)/docker.sock", "exec", task.containerID, "cat", "/run/secrets/token"], in: URL(fileURLWithPath: "/"))
            #expect(read.out == "s3cret", "on \(node): \(read.out)")
        }

        // The same file again sends nothing: no service gets a new version.
        let before = try docker(["service", "inspect", "-f", "{{.ID}} {{.Version.Index}}", "\(stack)_pinned"]).out.split(separator: " ")
        let again = try project.berth(["-H", Self.host, "--progress", "plain", "stack", "deploy", "--resolve-image", "never", "-c", "compose.yaml", stack])
        #expect(again.status == 0 && again.err.contains("Service \(stack)_pinned  Running unchanged"), "\(again.err)")
        #expect(try docker(["service", "inspect", "-f", "{{.ID}} {{.Version.Index}}", "\(stack)_pinned"]).out.split(separator: " ") == before)

        // Redeploy: zoned scales to 1, a changed environment rolls pinned (same service, new version), extra is pruned.
        // The files come from stdin this time (`-c -`, as the docker CLI reads them).
        let piped = project.directory.appendingPathComponent("piped.yaml")
        try Data(Self.placed(zoned: 1, extra: false, env: "green").utf8).write(to: piped)
        let redeployed = try project.berth(["-H", Self.host, "stack", "deploy", "--prune", "--detach=false", "--resolve-image", "never", "-c", "-", stack], stdin: piped)
        #expect(redeployed.status == 0, "\(redeployed.err)")
        let after = try docker(["service", "inspect", "-f", "{{.ID}} {{.Version.Index}}", "\(stack)_pinned"]).out.split(separator: " ")
        #expect(after.first == before.first && after.last != before.last, "updated, not re-created: \(before) -> \(after)")
        #expect(try docker(["service", "inspect", "-f", "{{range .Spec.TaskTemplate.ContainerSpec.Env}}{{.}}{{end}}", "\(stack)_pinned"]).out == "COLOUR=green\n")
        // The scaled-down task is on its way out after the wait (it no longer counts as desired): poll until it is gone.
        var services = ""
        for _ in 0..<60 {
            services = try docker(["stack", "services", "--format", "{{.Name}} {{.Replicas}}", stack]).out
            if services.contains("\(stack)_zoned 1/1") { break }
            try await Task.sleep(for: .seconds(1))
        }
        #expect(!services.contains("\(stack)_extra") && services.contains("\(stack)_zoned 1/1"), "\(services)")
    }

    /// A plain container (not a swarm task) holding a host port on one node: invisible to the manager, seen through
    /// that node's own engine with --node-endpoints.
    @Test(.enabled(if: available && PictureTests.tool("docker") != nil, "swarm: needs scripts/swarm-lab.sh up 3 and the docker CLI"))
    func portsHeldOutsideSwarmThroughTheNodesEngines() throws {
        let node2 = "unix:///run/berth-swarm/berth-node2/docker.sock"
        let name = "plain\(UInt16.random(in: 0...UInt16.max))"
        func onNode2(_ arguments: [String]) throws -> (status: Int32, out: String) {
            try CIIntegrationTests.shell(["docker", "-H", node2] + arguments, in: URL(fileURLWithPath: "/"))
        }
        #expect(try onNode2(["network", "create", name]).status == 0)
        defer {
            _ = try? onNode2(["rm", "-f", name])
            _ = try? onNode2(["network", "rm", name])
        }
        let started = try onNode2(["run", "-d", "--name", name, "--network", name, "-p", "18960:80", "busybox:1.36", "sleep", "600"])
        #expect(started.status == 0, "\(started.out)")
        let project = try EngineProject("""
        services:
          agent:
            image: busybox:1.36
            ports: [{target: 80, published: 18960, mode: host}]
            deploy: {mode: global, endpoint_mode: dnsrr}
        """)
        let blind = try project.berth(["-H", Self.host, "check", "--stack", "outside"])
        #expect(blind.status == 0, "the manager does not know the container: \(blind.err)")
        let endpoints = (1...3).map { "unix:///run/berth-swarm/berth-node\($0)/docker.sock" }.joined(separator: ",")
        let seen = try project.berth(["-H", Self.host, "check", "--stack", "outside", "--node-endpoints", endpoints])
        #expect(seen.status == 1 && seen.err.contains("host port 18960/tcp is held on berth-node2 by container '\(name)', which is not a swarm task"), "\(seen.err)")
        #expect(seen.err.contains("compose.yaml:4:13: error:"), "at the port: \(seen.err)")
    }
}
