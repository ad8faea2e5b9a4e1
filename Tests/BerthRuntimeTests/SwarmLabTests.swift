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

        let deployed = try project.berth(["-H", Self.host, "--progress", "plain", "stack", "deploy", "-c", "compose.yaml", stack])
        #expect(deployed.status == 0, "\(deployed.err)")
        #expect(deployed.err.contains("'container_name' is not applied in a swarm"), "\(deployed.err)")
        #expect(deployed.err.contains("Service \(stack)_db  Running"), "web waited for db to be healthy: \(deployed.err)")

        // docker stack sees Berth's stack.
        #expect(try docker(["stack", "ls"]).out.contains("\(stack)   2") || docker(["stack", "ls"]).out.contains(stack))
        let services = try docker(["stack", "services", "--format", "{{.Name}} {{.Mode}}", stack]).out
        #expect(services.contains("\(stack)_db replicated") && services.contains("\(stack)_web replicated"), "\(services)")
        #expect(try docker(["service", "inspect", "-f", "{{index .Spec.Labels \"team\"}} {{.Spec.EndpointSpec.Mode}}", "\(stack)_web"]).out == "web dnsrr\n")

        // Three web tasks run, one per node; the fourth waits, and Berth says why.
        let tasks = try await waitForTasks(project, stack, seconds: 120) { out in
            out.split(separator: "\n").filter { $0.contains(" Running ") }.count >= 4 && out.contains("Pending")
        }
        #expect(tasks.contains("no node left with host port 18700/tcp free: nodes berth-node1, berth-node2, berth-node3 hold it"), "\(tasks)")
        let page = try CIIntegrationTests.shell(["nsenter", "--net=/run/netns/berth-node2", "wget", "-qO-", "http://127.0.0.1:18700/"], in: URL(fileURLWithPath: "/"))
        #expect(page.out == "hello from the swarm", "\(page.out)")

        // A changed config is a new object: the service is updated at its version, and its tasks roll (three replicas
        // now, one per node: a replica that cannot be placed would hold the rolling update back).
        let before = try docker(["service", "inspect", "-f", "{{.ID}} {{.Version.Index}}", "\(stack)_web"]).out.split(separator: " ")
        try Data(Self.stack(page: "hello again", replicas: 3).utf8).write(to: project.directory.appendingPathComponent("compose.yaml"))
        let redeployed = try project.berth(["-H", Self.host, "--progress", "plain", "stack", "deploy", "-c", "compose.yaml", stack])
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

        // stack rm waits until the services and the network are gone.
        let removed = try project.berth(["-H", Self.host, "stack", "rm", stack])
        #expect(removed.status == 0, "\(removed.err)")
        #expect(try !docker(["stack", "ls"]).out.contains(stack))
        #expect(try docker(["network", "ls", "--filter", "label=com.docker.stack.namespace=\(stack)", "-q"]).out.isEmpty)
    }
}
