import BerthRuntime
import BerthSpec
import BerthTestSupport
import DockerEngine
import Foundation
import Testing

/// The whole create request for one service that uses every key Berth applies, against a reviewed golden file
/// (`Golden/create-request.json`): a key that stops reaching the engine, or changes how it does, fails here first.
/// Paths of the temporary project and the hashes that depend on them are normalised.
@Suite struct CreateRequestGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/create-request.json")

    static let yaml = """
    name: golden
    services:
      db: {image: busybox:1.36}
      app:
        image: busybox:1.36
        command: [sleep, "60"]
        entrypoint: [/bin/sh, -c]
        environment: {A: "1"}
        working_dir: /srv
        user: "33"
        stop_signal: SIGTERM
        stop_grace_period: 20s
        tty: true
        stdin_open: true
        hostname: app
        domainname: example.org
        labels: {tier: back}
        ports: ["127.0.0.1:8080:80", "9000-9001:9000-9001/udp"]
        expose: ["7000"]
        healthcheck: {test: [CMD, "true"], interval: 10s, timeout: 2s, retries: 3, start_period: 5s}
        restart: unless-stopped
        volumes:
          - "data:/data"
          - "./site:/srv/site:ro,z"
          - "./shared:/srv/shared:rshared"
          - {type: tmpfs, target: /cache, tmpfs: {size: 64m, mode: 1777}}
          - {type: volume, source: data, target: /seed, volume: {nocopy: true, labels: {role: seed}}}
          - {type: bind, source: ./ro, target: /srv/ro, read_only: true, consistency: cached, bind: {recursive: disabled, create_host_path: false}}
        volumes_from: ["db:ro"]
        links: ["db:database"]
        init: true
        privileged: false
        cap_add: [NET_BIND_SERVICE]
        cap_drop: [ALL]
        dns: [1.1.1.1]
        dns_search: [example.org]
        dns_opt: ["ndots:2"]
        extra_hosts: ["gateway=10.0.0.1"]
        read_only: true
        sysctls: {net.core.somaxconn: "1024"}
        tmpfs: ["/run:size=8m"]
        devices: ["/dev/null:/dev/berth-null:r"]
        device_cgroup_rules: ["c 1:3 r"]
        cpus: 0.5
        cpu_shares: 512
        cpu_quota: 50000
        cpu_period: 100000
        cpuset: "0"
        mem_limit: 64m
        mem_reservation: 32m
        memswap_limit: 128m
        mem_swappiness: 10
        pids_limit: 50
        shm_size: 16m
        oom_score_adj: 100
        oom_kill_disable: false
        ulimits: {nofile: {soft: 1024, hard: 2048}}
        logging: {driver: json-file, options: {max-size: 10m}}
        security_opt: ["no-new-privileges:true"]
        pid: host
        ipc: private
        uts: host
        cgroup: private
        cgroup_parent: berth.slice
        userns_mode: host
        group_add: ["audio"]
        runtime: runc
        storage_opt: {size: 1G}
        mac_address: "02:42:ac:11:00:99"
        annotations: {com.example.note: golden}
        secrets: [token]
        configs: [{source: app, target: /etc/app.conf}]
        networks: {back: {aliases: [api], ipv4_address: 10.30.0.5}}
    networks:
      back: {ipam: {config: [{subnet: 10.30.0.0/24}]}}
    volumes:
      data: {}
    secrets:
      token: {file: ./token.txt}
    configs:
      app: {file: ./app.conf}
    """

    @Test func theCreateRequestIsTheGoldenOne() throws {
        let fixture = try Fixture(["compose.yaml": Self.yaml, "token.txt": "t", "app.conf": "port=80", "site/index.html": "x"])
        let loaded = fixture.load()
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.map(\.message))")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(\.message))")
        let project = try #require(loaded.project)
        let app = try #require(project.service(named: "app"))
        let body = ContainerSpec.body(project: project, service: app, number: 1, imageReference: "busybox:1.36", imageID: "sha256:golden",
                                      apiVersion: "1.45") { _ in nil }
        var text = String(decoding: try body.encoded(), as: UTF8.self)
        text = text.replacingOccurrences(of: project.workingDirectory, with: "<project>")
        text = text.replacingOccurrences(of: #""com\.docker\.compose\.config-hash":"[0-9a-f]{64}""#, with: #""com.docker.compose.config-hash":"<hash>""#,
                                         options: .regularExpression)
        text = text.replacingOccurrences(of: #""dev\.berth\.config":"(\\.|[^"\\])*""#, with: #""dev.berth.config":"<canonical>""#, options: .regularExpression)
        let pretty = try prettyPrinted(text)
        if ProcessInfo.processInfo.environment["BERTH_UPDATE_GOLDEN"] == "1" { try Data(pretty.utf8).write(to: Self.golden) }
        let expected = try String(contentsOf: Self.golden, encoding: .utf8)
        #expect(pretty == expected, "the create request changed; review it, then BERTH_UPDATE_GOLDEN=1 swift test --filter CreateRequestGoldenTests:\n\(pretty)")
    }

    /// One key per line, for a readable golden file and diff.
    func prettyPrinted(_ compact: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(compact.utf8))
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
