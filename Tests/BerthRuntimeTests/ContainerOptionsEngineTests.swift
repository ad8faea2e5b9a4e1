@testable import BerthRuntime
import BerthPlan
import DockerEngine
import Foundation
import Testing

/// The container options reach the engine as docker compose sends them: each expected value below cites the line of
/// docker/compose `pkg/compose/create.go` (at f72979427) that makes it. The container is created and inspected.
@Suite(.serialized) struct ContainerOptionsEngineTests {
    static func inspect(_ name: String) throws -> JSONValue {
        let result = try CIIntegrationTests.shell(["docker", "inspect", name], in: URL(fileURLWithPath: "/"))
        return try #require(try JSONValue.parse(Data(result.out.utf8)).array?.first, "\(result.out)")
    }

    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "options: needs a Docker engine and the docker CLI"))
    func optionsReachTheEngine() throws {
        let project = try EngineProject("""
        services:
          a:
            image: busybox:1.36
            command: [sleep, "60"]
            init: true
            cpus: 0.5
            cpu_shares: 512
            cpuset: "0"
            mem_limit: 64m
            mem_reservation: 32m
            memswap_limit: 128m
            pids_limit: 50
            shm_size: 16m
            oom_score_adj: 100
            ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}
            logging: {driver: json-file, options: {max-size: 10m, max-file: "3"}}
            security_opt: ["no-new-privileges:true"]
            ipc: private
            pid: host
            cgroup: private
            dns_search: [example.org]
            dns_opt: ["ndots:2"]
            devices: ["/dev/null:/dev/berth-null:r"]
            device_cgroup_rules: ["c 1:3 r"]
            tmpfs: ["/run:size=8m"]
            deploy:
              resources: {limits: {pids: 50}}
              restart_policy: {condition: on-failure, max_attempts: 3}
        """)
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let up = try project.berth(["up", "-d", "-p", project.name])
        #expect(up.status == 0, "\(up.err)")
        let host = try #require(try Self.inspect("\(project.name)-a-1")["HostConfig"])
        #expect(host["NanoCpus"]?.int == 500_000_000)  // create.go:746, cpus * 1e9
        #expect(host["CpuShares"]?.int == 512)  // create.go:745
        #expect(host["CpusetCpus"]?.string == "0")  // create.go:748
        #expect(host["Memory"]?.int == 67_108_864)  // create.go:735, mem_limit in bytes (compose-go bytes.go: binary units)
        #expect(host["MemoryReservation"]?.int == 33_554_432)  // create.go:738
        #expect(host["MemorySwap"]?.int == 134_217_728)  // create.go:736
        #expect(host["PidsLimit"]?.int == 50)  // create.go:851, deploy.resources.limits.pids
        #expect(host["ShmSize"]?.int == 16_777_216)  // create.go:398
        #expect(host["OomScoreAdj"]?.int == 100)  // create.go:420
        let ulimits = host["Ulimits"]?.array ?? []  // create.go:800-818: a single number is soft = hard
        #expect(ulimits.contains { $0["Name"]?.string == "nofile" && $0["Soft"]?.int == 1024 && $0["Hard"]?.int == 2048 })
        #expect(ulimits.contains { $0["Name"]?.string == "nproc" && $0["Soft"]?.int == 512 && $0["Hard"]?.int == 512 })
        #expect(host["LogConfig"]?["Type"]?.string == "json-file")  // create.go:417
        #expect(host["LogConfig"]?["Config"]?["max-file"]?.string == "3")
        #expect(host["SecurityOpt"]?.array?.first?.string == "no-new-privileges:true")  // create.go:408
        #expect(host["IpcMode"]?.string == "private")  // create.go:394
        #expect(host["PidMode"]?.string == "host")  // create.go:413
        #expect(host["CgroupnsMode"]?.string == "private")  // create.go:395
        #expect(host["DnsSearch"]?.array?.first?.string == "example.org")
        #expect(host["DnsOptions"]?.array?.first?.string == "ndots:2")
        let device = host["Devices"]?.array?.first  // create.go:763-783: src[:dst[:perm]], rwm by default
        #expect(device?["PathOnHost"]?.string == "/dev/null" && device?["PathInContainer"]?.string == "/dev/berth-null" && device?["CgroupPermissions"]?.string == "r")
        #expect(host["DeviceCgroupRules"]?.array?.first?.string == "c 1:3 r")
        #expect(host["Tmpfs"]?["/run"]?.string == "size=8m")  // create.go:334-338 splits at the first colon
        #expect(host["RestartPolicy"]?["Name"]?.string == "on-failure")  // create.go:697-725 getRestartPolicy
        #expect(host["RestartPolicy"]?["MaximumRetryCount"]?.int == 3)
        // The container runs with them: its ulimit and its mounts say so.
        let limit = try CIIntegrationTests.shell(["docker", "exec", "\(project.name)-a-1", "sh", "-c", "ulimit -n; ls /dev/berth-null"], in: URL(fileURLWithPath: "/"))
        #expect(limit.out.contains("1024") && limit.out.contains("/dev/berth-null"), "\(limit.out)")
    }

    /// A warning in the engine's create answer is a diagnostic at the key's line, not lost.
    @Test(.enabled(if: Engine.available, "engine warnings: need a Docker engine"))
    func engineWarningsAreDiagnostics() throws {
        let project = try EngineProject("services:\n  a:\n    image: busybox:1.36\n    command: [sleep, \"30\"]\n    init: true\n    oom_kill_disable: true\n")
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let up = try project.berth(["up", "-d", "-p", project.name])
        #expect(up.status == 0)
        #expect(up.err.contains("compose.yaml:6:23: warning: service 'a': the engine accepted the container but warns: OOM killer is disabled"), "\(up.err)")
        #expect(up.err.contains("[engine-warning]"))
    }

    /// `volumes_from` (read-only kept), `links` (a name on the network, as create.go:419 and :507 send them),
    /// `label_file` under `labels`, `env_file` with `format: raw`, and `platform`.
    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "options: needs a Docker engine and the docker CLI"))
    func sharingLinksLabelsAndRawEnvFiles() throws {
        let project = try EngineProject("""
        services:
          data:
            image: busybox:1.36
            command: [sh, -c, "echo hi > /shared/f; sleep 60"]
            init: true
            volumes: ["/shared"]
          reader:
            image: busybox:1.36
            command: [sleep, "60"]
            init: true
            platform: linux/amd64
            volumes_from: ["data:ro"]
            links: ["data:db"]
            label_file: labels.env
            labels: {B: "3"}
            env_file: [{path: raw.env, format: raw}]
        """, extra: ["labels.env": "A=from-file\nB=2\n", "raw.env": "Q=\"kept $HOME\"\n"])
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        let reader = "\(project.name)-reader-1"
        let inside = try CIIntegrationTests.shell(["docker", "exec", reader, "sh", "-c", "sleep 0.5; cat /shared/f; touch /shared/x 2>&1; ping -c1 -W1 db | head -1"],
                                                  in: URL(fileURLWithPath: "/"))
        #expect(inside.out.contains("hi") && inside.out.contains("Read-only file system") && inside.out.contains("PING db"), "\(inside.out)")
        let details = try Self.inspect(reader)
        #expect(details["HostConfig"]?["VolumesFrom"]?.array?.first?.string == "\(project.name)-data-1:ro")
        #expect(details["Config"]?["Labels"]?["A"]?.string == "from-file" && details["Config"]?["Labels"]?["B"]?.string == "3")
        #expect(details["Config"]?["Env"]?.array?.contains { $0.string == "Q=\"kept $HOME\"" } == true)
        #expect(details["Platform"]?.string == "linux")
    }

    /// A seccomp profile goes to the engine as its content (create.go:594-603), and `systempaths=unconfined` as empty
    /// masked and read-only path lists (create.go: `if unconfined { MaskedPaths = []; ReadonlyPaths = [] }`).
    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "options: needs a Docker engine and the docker CLI"))
    func seccompProfileIsSentAsItsContent() throws {
        let project = try EngineProject("""
        services:
          a:
            image: busybox:1.36
            command: [sleep, "60"]
            init: true
            security_opt: ["seccomp=profile.json", "systempaths=unconfined"]
            isolation: default
        """, extra: ["profile.json": "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\"\n}\n"])
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let up = try project.berth(["up", "-d", "-p", project.name])
        #expect(up.status == 0, "\(up.err)")
        let host = try #require(try Self.inspect("\(project.name)-a-1")["HostConfig"])
        #expect(host["SecurityOpt"]?.array?.map { $0.string ?? "" } == ["seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}"], "\(host["SecurityOpt"] ?? .null)")
        #expect(host["MaskedPaths"]?.array?.isEmpty == true && host["ReadonlyPaths"]?.array?.isEmpty == true)
        #expect(host["Isolation"]?.string == "default")
    }

    /// Volumes as Compose sends them (create.go buildContainerVolumes): binds and named volumes that need no Mounts-API
    /// option go in the legacy `Binds` form, where the engine creates a missing host folder (this engine's Mounts API,
    /// 1.41, ignores CreateMountpoint); the long-syntax options reach `Mounts`.
    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "volumes: need a Docker engine and the docker CLI"))
    func volumesReachTheEngineAsComposeSendsThem() throws {
        let project = try EngineProject("""
        services:
          a:
            image: busybox:1.36
            command: [sleep, "60"]
            init: true
            volumes:
              - "./not-yet/deep:/created:z"
              - "data:/data:ro"
              - "./here:/shared:rprivate"
              - {type: tmpfs, target: /scratch, tmpfs: {size: 8m, mode: 1770}}
              - {type: volume, source: data, target: /seed, volume: {nocopy: true}}
        volumes:
          data: {}
        """, extra: ["here/.keep": ""])
        defer { _ = try? project.berth(["down", "-v", "-t", "0", "-p", project.name]) }
        let up = try project.berth(["up", "-d", "-p", project.name])
        #expect(up.status == 0, "\(up.err)")
        let container = try Self.inspect("\(project.name)-a-1")
        let binds = container["HostConfig"]?["Binds"]?.array?.compactMap(\.string) ?? []
        // create.go toBindString: SOURCE:TARGET:rw|ro[,z|Z]
        #expect(binds == [project.directory.path + "/not-yet/deep:/created:rw,z", "\(project.name)_data:/data:ro"], "\(binds)")
        #expect(FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("not-yet/deep").path))
        let mounts = container["HostConfig"]?["Mounts"]?.array ?? []
        #expect(mounts.contains { $0["Target"]?.string == "/shared" && $0["BindOptions"]?["Propagation"]?.string == "rprivate" })  // create.go buildMountOptions
        #expect(mounts.contains { $0["Target"]?.string == "/scratch" && $0["TmpfsOptions"]?["SizeBytes"]?.int == 8_388_608 && $0["TmpfsOptions"]?["Mode"]?.int == 0o1770 })
        #expect(mounts.contains { $0["Target"]?.string == "/seed" && $0["VolumeOptions"]?["NoCopy"]?.bool == true })
        let ls = try CIIntegrationTests.shell(["docker", "exec", "\(project.name)-a-1", "stat", "-c", "%a", "/scratch"], in: URL(fileURLWithPath: "/"))
        #expect(ls.out.trimmingCharacters(in: .whitespacesAndNewlines) == "1770", "\(ls.out)")
    }

    /// A bind that needs the Mounts API (a propagation) on a missing folder fails at create on this engine, and a
    /// slave propagation of a folder on a private mount (this sandbox's `/`) fails at start; `check` says so at the
    /// line first.
    @Test(.enabled(if: Engine.available, "volumes: need a Docker engine"), arguments: [
        ("./missing:/x:rprivate", "missing-path", false),
        ("./present:/x:rslave", "mount-propagation", true),
    ])
    func aBindTheEngineWouldRefuseIsPredicted(volume: String, code: String, onlyOnAPrivateRoot: Bool) throws {
        let root = (ProcFile.read("/proc/self/mountinfo") ?? "").split(separator: "\n").first { $0.split(separator: " ").dropFirst(4).first == "/" }
        if onlyOnAPrivateRoot, root?.contains("shared:") != false || root?.contains("master:") != false { return }
        let project = try EngineProject("services:\n  a:\n    image: busybox:1.36\n    command: [sleep, \"30\"]\n    init: true\n    volumes: [\"\(volume)\"]\n",
                                        extra: ["present/.keep": ""])
        defer { _ = try? project.berth(["down", "-v", "-t", "0", "-p", project.name]) }
        let check = try project.berth(["check", "-p", project.name])
        #expect(check.status == 1 && check.err.contains("compose.yaml:6:") && check.err.contains("[\(code)]"), "\(check.err)")
        let up = try project.berth(["up", "-d", "--no-check", "-p", project.name])
        #expect(up.status != 0, "up --no-check succeeded, so the check's error was not real")
    }

    /// blkio_config, cpu_rt_period and GPU requests as Compose sends them (create.go setBlkio, getDeployResources); the
    /// engine's "Weight discarded" warning lands at the key's line; what this host cannot run (a real-time budget the
    /// engine's cgroup lacks, a GPU without a driver) is predicted by `check` and really refused.
    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "devices: need a Docker engine and the docker CLI"))
    func blkioRealtimeAndDevicesReachTheEngine() throws {
        // A block device of this host for the throttles (runc refuses anything else, and `check` says so).
        let disk = try #require((try? FileManager.default.contentsOfDirectory(atPath: "/sys/block"))?.sorted()
            .first { !$0.hasPrefix("loop") && !$0.hasPrefix("ram") && FileManager.default.fileExists(atPath: "/dev/\($0)") }, "no block device")
        let project = try EngineProject("""
        services:
          a:
            image: busybox:1.36
            command: [sleep, "60"]
            init: true
            blkio_config:
              weight: 300
              device_read_bps: [{path: /dev/\(disk), rate: 1mb}]
              device_write_iops: [{path: /dev/\(disk), rate: 100}]
            cpu_rt_period: 1000000
          b:
            image: busybox:1.36
            blkio_config: {device_read_bps: [{path: /dev/null, rate: 1mb}]}
        """)
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let check = try project.berth(["check", "-p", project.name])
        #expect(check.status == 1 && check.err.contains("compose.yaml:13:") && check.err.contains("'/dev/null', which is not a block device"), "\(check.err)")
        let up = try project.berth(["up", "-d", "--no-check", "-p", project.name, "a"])
        #expect(up.status == 0, "\(up.err)")
        // The weight was sent (create.go setBlkio): this kernel discards it, and the engine's warning lands at its line.
        #expect(up.err.contains("compose.yaml:7:") && up.err.contains("Weight discarded") && up.err.contains("[engine-warning]"), "\(up.err)")
        let host = try #require(try Self.inspect("\(project.name)-a-1")["HostConfig"])
        #expect(host["BlkioDeviceReadBps"]?.array?.first?["Rate"]?.int == 1_048_576)
        #expect(host["BlkioDeviceWriteIOps"]?.array?.first?["Rate"]?.int == 100)
        #expect(host["CpuRealtimePeriod"]?.int == 1_000_000)  // create.go getDeployResources
        let b = try project.berth(["up", "-d", "--no-check", "-p", project.name, "b"])
        #expect(b.status != 0, "up --no-check of 'b' succeeded, so the check's error was not real")
    }

    @Test(.enabled(if: Engine.available, "devices: need a Docker engine"), arguments: [
        ("    cpu_rt_runtime: 1000\n", "engine-limit"),
        ("    gpus: all\n", "device-driver-unavailable"),
        ("    deploy: {resources: {reservations: {devices: [{capabilities: [gpu], count: 1}]}}}\n", "device-driver-unavailable"),
    ])
    func whatThisHostCannotRunIsPredicted(lines: String, code: String) throws {
        if code == "engine-limit", (ProcFile.read("/sys/fs/cgroup/cpu/docker/cpu.rt_runtime_us").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0) >= 1000 { return }
        if code == "device-driver-unavailable", HostSnapshot.nvidiaHookDirectories.contains(where: { FileManager.default.fileExists(atPath: $0 + "/" + HostSnapshot.nvidiaHook) }) { return }
        let project = try EngineProject("services:\n  a:\n    image: busybox:1.36\n    command: [sleep, \"30\"]\n    init: true\n" + lines)
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let check = try project.berth(["check", "-p", project.name])
        #expect(check.status == 1 && check.err.contains("compose.yaml:6:") && check.err.contains("[\(code)]"), "\(check.err)")
        let up = try project.berth(["up", "-d", "--no-check", "-p", project.name])
        #expect(up.status != 0, "up --no-check succeeded, so the check's error was not real")
    }

    /// A service's network entries as Compose sends them (create.go createEndpointSettings): the highest priority
    /// network is the one the container is created on (compose-go NetworksByPriority), link-local addresses and driver
    /// options reach the endpoint; a per-network mac_address needs API 1.44 and is warned, not sent, on this engine.
    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "networks: need a Docker engine and the docker CLI"))
    func networkEntriesReachTheEngine() throws {
        let project = try EngineProject("""
        services:
          a:
            image: busybox:1.36
            command: [sleep, "60"]
            init: true
            networks:
              back:
                link_local_ips: [169.254.10.10]
                driver_opts: {com.example.note: berth}
              front:
                priority: 100
                mac_address: "02:42:ac:11:00:99"
        networks:
          back: {}
          front: {}
        """)
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let up = try project.berth(["up", "-d", "-p", project.name])
        #expect(up.status == 0, "\(up.err)")
        let container = try Self.inspect("\(project.name)-a-1")
        #expect(container["HostConfig"]?["NetworkMode"]?.string == "\(project.name)_front")
        let back = container["NetworkSettings"]?["Networks"]?["\(project.name)_back"]
        #expect(back?["IPAMConfig"]?["LinkLocalIPs"]?.array?.first?.string == "169.254.10.10", "\(back ?? .null)")
        #expect(back?["DriverOpts"]?["com.example.note"]?.string == "berth", "\(back ?? .null)")
        let check = try project.berth(["check", "-p", project.name])
        #expect(check.err.contains("compose.yaml:12:") && check.err.contains("'mac_address' on network 'front' needs engine API 1.44"), "\(check.err)")
    }

    /// A network's IPAM as Compose sends it: auxiliary addresses and IPAM options reach the engine; `enable_ipv4`
    /// needs API 1.47 and is warned, not sent, on this engine.
    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "networks: need a Docker engine and the docker CLI"))
    func networkIPAMReachesTheEngine() throws {
        let project = try EngineProject("""
        services:
          a: {image: busybox:1.36, command: [sleep, "60"], init: true, networks: [n]}
        networks:
          n:
            enable_ipv4: true
            ipam:
              config: [{subnet: 10.231.7.0/24, aux_addresses: {printer: 10.231.7.5}}]
              options: {com.example.pool: berth}
        """)
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        let up = try project.berth(["up", "-d", "-p", project.name])
        #expect(up.status == 0, "\(up.err)")
        let inspect = try CIIntegrationTests.shell(["docker", "network", "inspect", "\(project.name)_n"], in: URL(fileURLWithPath: "/"))
        let network = try #require(try JSONValue.parse(Data(inspect.out.utf8)).array?.first)
        #expect(network["IPAM"]?["Config"]?.array?.first?["AuxiliaryAddresses"]?["printer"]?.string == "10.231.7.5", "\(inspect.out)")
        #expect(network["IPAM"]?["Options"]?["com.example.pool"]?.string == "berth", "\(inspect.out)")
        let check = try project.berth(["check", "-p", project.name])
        #expect(check.err.contains("compose.yaml:5:") && check.err.contains("'enable_ipv4' needs engine API 1.47"), "\(check.err)")
    }
}
