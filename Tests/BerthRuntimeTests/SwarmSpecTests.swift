import BerthPlan
import BerthRuntime
import BerthSpec
import BerthTestSupport
import DockerEngine
import Foundation
import Testing

/// The Compose-to-Swarm mapping as a pure function, against docker/cli's `cli/compose/convert` rules: names and
/// labels, entrypoint and command, sorted environment, ports, restart, mode, placement, networks, config
/// references, content-named objects, and a warning at the line of each key a swarm does not apply.
@Suite struct SwarmSpecTests {
    @Test func serviceSpecFollowsDockerStackDeploy() throws {
        let fixture = try Fixture(["compose.yaml": """
        services:
          web:
            image: nginx
            entrypoint: [httpd]
            command: [-f, -p, "80"]
            environment: {B: "2", A: "1"}
            labels: {tier: front}
            ports: ["8080:80", {target: 443, published: 8443, mode: host}, "127.0.0.1:9000:90"]
            restart: unless-stopped
            networks: {back: {aliases: [www]}, front: {}}
            configs: [{source: page, target: /srv/index.html, mode: 0440}]
            container_name: fixed
            privileged: true
            deploy:
              mode: global
              labels: {team: web}
              placement: {constraints: ["node.role == worker"], preferences: [{spread: node.labels.zone}], max_replicas_per_node: 2}
              endpoint_mode: dnsrr
              update_config: {parallelism: 2, order: start-first}
              resources: {limits: {cpus: "0.5", memory: 64M}, reservations: {cpus: "0.25"}}
        networks:
          back: {}
          front: {}
        configs:
          page: {content: hello}
        """])
        let loaded = fixture.load(projectName: "demo")
        let project = try #require(loaded.project, "\(loaded.diagnostics)")
        let service = try #require(project.service(named: "web"))
        let page = try #require(project.configs.first)
        let configName = SwarmSpec.objectName(stack: "st", page)
        #expect(configName.hasPrefix("st_page_") && configName.count == "st_page_".count + 8)
        let spec = SwarmSpec.serviceBody(service, project: project, stack: "st", secrets: [:], configs: ["page": ("cfg1", configName)])

        #expect(spec["Name"]?.string == "st_web")
        #expect(spec["Labels"]?.stringMap == ["team": "web", "com.docker.stack.namespace": "st", "com.docker.stack.image": "nginx"])
        let container = try #require(spec["TaskTemplate"]?["ContainerSpec"])
        #expect(container["Image"]?.string == "nginx:latest", "the docker CLI adds :latest")
        #expect(container["Command"] == ["httpd"] && container["Args"] == ["-f", "-p", "80"], "entrypoint is Command, command is Args")
        #expect(container["Env"] == ["A=1", "B=2"], "sorted")
        #expect(container["Labels"]?.stringMap == ["tier": "front", "com.docker.stack.namespace": "st"])
        let config = try #require(container["Configs"]?.array?.first)
        #expect(config["ConfigID"]?.string == "cfg1" && config["File"]?["Name"]?.string == "/srv/index.html" && config["File"]?["Mode"]?.int == 0o440)
        #expect(spec["TaskTemplate"]?["RestartPolicy"] == ["Condition": "any"], "unless-stopped is any")
        #expect(spec["Mode"] == ["Global": [:]])
        let placement = try #require(spec["TaskTemplate"]?["Placement"])
        #expect(placement["Constraints"] == ["node.role == worker"] && placement["MaxReplicas"]?.int == 2)
        #expect(placement["Preferences"] == [["Spread": ["SpreadDescriptor": "node.labels.zone"]]])
        let networks = try #require(spec["TaskTemplate"]?["Networks"]?.array)
        #expect(networks.map { $0["Target"]?.string } == ["st_back", "st_front"], "sorted by target")
        #expect(networks[0]["Aliases"] == ["www", "web"], "the user's aliases, then the service's name")
        let resources = try #require(spec["TaskTemplate"]?["Resources"])
        #expect(resources["Limits"]?["NanoCPUs"]?.int == 500_000_000 && resources["Limits"]?["MemoryBytes"]?.int == 64 * 1024 * 1024)
        #expect(resources["Reservations"]?["NanoCPUs"]?.int == 250_000_000)
        #expect(spec["UpdateConfig"]?["Parallelism"]?.int == 2 && spec["UpdateConfig"]?["Order"]?.string == "start-first")
        #expect(spec["EndpointSpec"]?["Mode"]?.string == "dnsrr")
        let ports = try #require(spec["EndpointSpec"]?["Ports"]?.array)
        #expect(ports.map { $0["PublishedPort"]?.int } == [8080, 8443, 9000], "sorted by published port")
        #expect(ports.map { $0["PublishMode"]?.string } == ["ingress", "host", "ingress"])

        let warnings = StackChecker.unsupported(service, project: project)
        let lines = Dictionary(warnings.map { ($0.message, $0.location?.line ?? 0) }, uniquingKeysWith: { a, _ in a })
        #expect(lines["'container_name' is not applied in a swarm (docker stack deploy ignores it)"] == 12)
        #expect(lines["'privileged' is not applied in a swarm (docker stack deploy ignores it)"] == 13)
        #expect(warnings.contains { $0.message.contains("host address 127.0.0.1") && $0.location?.line == 8 })
        #expect(warnings.count == 3, "\(warnings.map(\.message))")
    }
}
