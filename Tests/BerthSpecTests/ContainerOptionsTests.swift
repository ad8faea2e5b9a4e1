import BerthSpec
import BerthTestSupport
import Foundation
import Testing

/// Resources, limits, logging, security and namespace keys, read as docker compose reads them.
@Suite struct ContainerOptionsTests {
    func load(_ yaml: String) throws -> LoadResult { try Fixture(["compose.yaml": yaml]).load() }

    @Test func sizesAndCPUs() throws {
        let result = try load("""
        services:
          web:
            image: x
            cpus: 1.5
            mem_limit: 64m
            mem_reservation: 512KiB
            memswap_limit: -1
            shm_size: "2g"
            pids_limit: 100
            ulimits: {nofile: {soft: 1024, hard: 4096}, nproc: 512}
            logging: {driver: json-file, options: {max-size: 10m, max-file: 3}}
        """)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message))")
        let options = try #require(result.project?.service(named: "web")?.options)
        #expect(options.nanoCPUs == 1_500_000_000)  // cpus * 1e9 (compose create.go setLimits)
        #expect(options.memory == 67_108_864)  // binary units (compose-go bytes.go)
        #expect(options.memoryReservation == 524_288)
        #expect(options.memorySwap == -1)
        #expect(options.shmSize == 2_147_483_648)
        #expect(options.pidsLimit == 100)
        #expect(options.ulimits == [.init(name: "nofile", soft: 1024, hard: 4096), .init(name: "nproc", soft: 512, hard: 512)])
        #expect(options.logging?.options.first { $0.key == "max-file" }?.value == "3")
    }

    /// `security_opt: seccomp=FILE` is read at load time, relative to the project, as Compose's parseSecurityOpts reads
    /// it (create.go:594-603); a missing or non-JSON profile, and an entry with no value, are errors at their line.
    /// `isolation` other than `default` and `credential_spec` are refused: a Linux engine rejects both (verified here:
    /// `Invalid isolation: "hyperv" - linux only supports 'default'`).
    @Test func securityOptionsAndIsolation() throws {
        let fixture = try Fixture(["compose.yaml": """
        services:
          web:
            image: x
            security_opt: ["seccomp=profiles/strict.json", "label=disable", "systempaths=unconfined"]
            isolation: default
          bad:
            image: x
            security_opt: ["seccomp=missing.json", "seccomp=profiles/broken.json", "nonsense"]
            isolation: hyperv
            credential_spec: {file: spec.json}
        """, "profiles/strict.json": "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"names\": [\"a b\"]\n}\n", "profiles/broken.json": "{nope"])
        let result = fixture.load()
        let web = try #require(result.project?.service(named: "web")?.options)
        #expect(web.seccompProfiles["profiles/strict.json"] == "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"names\":[\"a b\"]}")
        #expect(web.isolation == "default")
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.map { $0.location?.line ?? 0 }.sorted() == [8, 8, 8, 9, 10], "\(errors.map(\.message))")
        #expect(errors.contains { $0.code == "file-not-found" && $0.message.contains("missing.json") })
        #expect(errors.contains { $0.message.contains("broken.json' is not JSON") })
        #expect(errors.contains { $0.message.contains("invalid security_opt 'nonsense'") })
        #expect(errors.contains { $0.message.contains("isolation 'hyperv' is refused") })
        #expect(errors.contains { $0.code == "unsupported-key" && $0.message.contains("credential_spec") })
    }

    /// blkio_config, real-time CPU times and device requests, as compose-go reads them: `gpus: all` is every device
    /// with the gpu capability, a device entry with neither count nor ids asks for all (-1), and `count: all` is -1.
    @Test func blkioRealtimeAndDevices() throws {
        let result = try load("""
        services:
          web:
            image: x
            blkio_config:
              weight: 300
              weight_device: [{path: /dev/sda, weight: 400}]
              device_read_bps: [{path: /dev/sda, rate: 12mb}]
              device_write_iops: [{path: /dev/sda, rate: 30}]
            cpu_rt_period: 1000000
            cpu_rt_runtime: 400ms
            gpus: [{driver: nvidia, count: 2}]
            deploy:
              resources:
                reservations:
                  devices: [{capabilities: [tpu]}, {capabilities: [gpu, utility], device_ids: ["0", "3"], options: {x: y}}]
          all:
            image: x
            gpus: all
          bad:
            image: x
            blkio_config: {weight: 5, device_read_bps: [{path: /dev/sda}]}
            cpu_rt_runtime: soon
            gpus: [{count: 2, device_ids: ["1"]}]
        """)
        let web = try #require(result.project?.service(named: "web")?.options)
        #expect(web.blkio?.weight == 300 && web.blkio?.weightDevice.first?.value == 400)
        #expect(web.blkio?.deviceReadBps.first?.value == 12_582_912 && web.blkio?.deviceWriteIOps.first?.value == 30)
        #expect(web.cpuRealtimePeriod == 1_000_000 && web.cpuRealtimeRuntime == 400_000)
        #expect(web.deviceRequests == [
            DeviceRequest(driver: "nvidia", count: 2, capabilities: ["gpu"]),
            DeviceRequest(count: -1, capabilities: ["tpu"]),
            DeviceRequest(deviceIDs: ["0", "3"], capabilities: ["gpu", "utility"], options: [KeyValue("x", "y")]),
        ], "\(web.deviceRequests)")
        #expect(result.project?.service(named: "all")?.options.deviceRequests == [DeviceRequest(count: -1, capabilities: ["gpu"])])
        let errors = result.diagnostics.filter { $0.severity == .error }.map { $0.location?.line ?? 0 }
        #expect(errors.sorted() == [21, 21, 22, 23], "\(result.diagnostics.map(\.message))")
    }

    /// A `platform` that `build.platforms` does not list is an error at both lines, as compose-go's validation has it.
    @Test func platformOutsideBuildPlatforms() throws {
        let result = try load("services:\n  web:\n    image: x\n    platform: linux/arm64\n    build: {context: ., platforms: [linux/amd64]}\n")
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.map { $0.location?.line ?? 0 }.sorted() == [4, 5], "\(result.diagnostics.map(\.message))")
        let fine = try load("services:\n  web:\n    image: x\n    platform: linux/amd64\n    build: {context: ., platforms: [linux/amd64, linux/arm64]}\n")
        #expect(!fine.hasErrors)
    }

    /// `deploy.resources.limits` take the place of their top-level twins; different values are refused at both lines,
    /// as compose-go's validation does.
    @Test func deployTwins() throws {
        let same = try load("services:\n  web:\n    image: x\n    cpus: 0.5\n    deploy: {resources: {limits: {cpus: '0.5', memory: 1g}}}\n")
        #expect(!same.hasErrors, "\(same.diagnostics.map(\.message))")
        #expect(same.project?.service(named: "web")?.options.memory == 1_073_741_824)
        let differ = try load("services:\n  web:\n    image: x\n    mem_limit: 512m\n    deploy:\n      resources: {limits: {memory: 1g}}\n")
        let errors = differ.diagnostics.filter { $0.code == "invalid-value" }
        #expect(errors.compactMap { $0.location?.line }.sorted() == [4, 6], "\(differ.diagnostics.map(\.message))")
    }

    /// `deploy.restart_policy` over `restart`, as Compose's `getRestartPolicy` maps it.
    @Test(arguments: [("none", "", "no"), ("any", "", "always"), ("on-failure", "max_attempts: 3", "on-failure:3"), ("on-failure", "", "on-failure")])
    func restartPolicy(condition: String, extra: String, expected: String) throws {
        let result = try load("services:\n  web:\n    image: x\n    restart: unless-stopped\n    deploy:\n      restart_policy: {condition: \(condition)\(extra.isEmpty ? "" : ", \(extra)")}\n")
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message))")
        #expect(result.project?.service(named: "web")?.restart == expected)
    }

    @Test func badValuesAreErrorsAtTheirLines() throws {
        let result = try load("""
        services:
          web:
            image: x
            mem_limit: 12zb
            cpus: -1
            oom_score_adj: 5000
            ulimits: {nofile: {soft: 10, hard: 5}}
            cgroup: shared
            deploy: {restart_policy: {condition: any, max_attempts: 2}}
        """)
        let lines = result.diagnostics.filter { $0.severity == .error }.compactMap { $0.location?.line }.sorted()
        #expect(lines == [4, 5, 6, 7, 8, 9], "\(result.diagnostics.map(\.message))")
    }

    /// Only what is written is in the configuration (and its hash): a file without these keys keeps its hash.
    @Test func theHashOnlyMovesForWrittenKeys() throws {
        let plain = try load("services:\n  web: {image: x}\n")
        let rendered = try #require(plain.project.map { ConfigRenderer.service($0.services[0]) })
        #expect(rendered.mapping?.map { $0.key.scalarText ?? "" } == ["image", "networks"])
        let limited = try load("services:\n  web: {image: x, mem_limit: 64m}\n")
        #expect(try #require(limited.project.map { ConfigRenderer.service($0.services[0]) })["mem_limit"]?.scalarText == "67108864")
    }
}
