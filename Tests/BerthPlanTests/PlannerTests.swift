import BerthDiagnostics
import BerthPlan
import BerthSpec
import BerthTestSupport
import Testing

/// The planner as a pure function: a project, options and an engine snapshot in, a plan out.
@Suite struct PlannerTests {
    func project(_ yaml: String) throws -> ComposeProject {
        try #require(try Fixture(["compose.yaml": yaml]).load(projectName: "demo").project)
    }

    /// Containers as `up` would have left them for `project`: one per replica, running, up to date.
    func running(_ project: ComposeProject, state: String = "running") -> [EngineSnapshot.Container] {
        project.services.flatMap { service in
            (1...max(service.replicas, 1)).map { number in
                let fingerprint = ServiceFingerprint(service)
                return EngineSnapshot.Container(
                    id: "\(service.name)\(number)", name: "demo-\(service.name)-\(number)", project: "demo", service: service.name, number: number,
                    state: state, configHash: fingerprint.hash, config: fingerprint.canonical, imageID: "sha256:\(service.image ?? "")",
                    created: number, networks: service.networkMode == nil ? service.networks.compactMap { project.network(named: $0.name)?.engineName } : [])
            }
        }
    }

    func engine(_ containers: [EngineSnapshot.Container], project: ComposeProject) -> EngineSnapshot {
        var images: [String: EngineSnapshot.Image] = [:]
        for service in project.services { if let image = service.image { images[image] = .init(id: "sha256:\(image)") } }
        return EngineSnapshot(reachable: true, containers: containers,
                              networks: project.networks.map { .init(name: $0.engineName, project: "demo", configHash: ResourceFingerprint(network: $0).hash) },
                              volumes: project.volumes.map { .init(name: $0.engineName, project: "demo", configHash: ResourceFingerprint(volume: $0).hash) },
                              images: images)
    }

    func plan(_ project: ComposeProject, _ engine: EngineSnapshot, _ configure: (inout PlanOptions) -> Void = { _ in }) -> DeploymentPlan {
        var options = PlanOptions()
        configure(&options)
        return Planner.plan(project: project, options: options, engine: engine, host: .unknown)
    }

    func actions(_ plan: DeploymentPlan) -> [String: DeploymentPlan.ContainerAction] {
        Dictionary(plan.containers.map { ($0.name, $0.action) }, uniquingKeysWith: { a, _ in a })
    }

    /// `run`: the dependencies are planned as `up` plans them, the service's own replicas are not, and the one-off
    /// container comes last, named from its slug; the command line's changes apply to it alone.
    @Test func runPlansDependenciesThenTheOneOffContainer() throws {
        let compose = try project("""
        services:
          db: {image: x}
          cache: {image: x}
          web: {image: y, depends_on: [db], ports: ["8080:80"], restart: always, command: [serve]}
        """)
        var run = OneOffRun(service: "web", slug: String(repeating: "ab", count: 32))
        run.command = ["migrate"]
        let planned = plan(compose, engine([], project: compose)) { $0.run = run }
        #expect(planned.containers.map(\.name) == ["demo-db-1", "demo-web-run-abababababab"])
        #expect(planned.containers.map(\.action) == [.create, .run])
        #expect(planned.steps(of: "web").isEmpty && planned.oneOff?.service == "web")
        #expect(planned.waits["web"]?.map(\.service) == ["db"], "the one-off container waits for the dependencies' conditions")
        let service = run.apply(to: try #require(compose.service(named: "web")))
        #expect(service.command == ["migrate"] && service.ports.isEmpty && service.restart == nil)

        var noDeps = run
        noDeps.name = "custom"
        let alone = plan(compose, engine([], project: compose)) { $0.run = noDeps; $0.noDeps = true }
        #expect(alone.containers.map(\.name) == ["custom"])
    }

    @Test func emptyEngineCreatesEverything() throws {
        let compose = try project("""
        services:
          db: {image: x, volumes: ["data:/data"]}
          web: {image: x, depends_on: [db], deploy: {replicas: 2}}
        volumes:
          data: {}
        """)
        let plan = plan(compose, .unreachable)
        #expect(plan.networks.map(\.name) == ["demo_default"])
        #expect(plan.volumes.map(\.name) == ["demo_data"])
        #expect(plan.containers.map(\.name) == ["demo-db-1", "demo-web-1", "demo-web-2"])
        #expect(plan.containers.allSatisfy { $0.action == .create })
        #expect(plan.images.map(\.reference) == ["x"], "one pull for an image two services share")
        #expect(plan.startOrder == [["db"], ["web"]])
        #expect(plan.waits["web"]?.map(\.service) == ["db"])
        #expect(plan.hasChanges)
        #expect(!plan.engineReachable)
    }

    @Test func keepsRecreatesWithChangedFieldsStartsAndHandlesOrphans() throws {
        let before = try project("services:\n  a: {image: x}\n  b: {image: x, environment: {A: \"1\"}}\n")
        let after = try project("services:\n  a: {image: x}\n  b: {image: y, environment: {A: \"1\"}}\n")
        let orphan = EngineSnapshot.Container(id: "o", name: "demo-gone-1", project: "demo", service: "gone", number: 1)
        let engine = engine(running(before) + [orphan], project: before)
        let unchanged = plan(before, engine)
        #expect(unchanged.containers.filter { $0.action != .orphan }.allSatisfy { $0.action == .keep })
        #expect(unchanged.containers.contains { $0.action == .orphan && $0.service == "gone" })
        // Compose's own words (pkg/compose/create.go, the orphan warning).
        #expect(unchanged.diagnostics.contains { $0.code == "orphan-containers" && $0.message == "Found orphan containers ([demo-gone-1]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up." })
        #expect(!unchanged.hasChanges)
        let removing = plan(before, engine) { $0.removeOrphans = true }
        #expect(actions(removing)["demo-gone-1"] == .remove)
        #expect(!removing.diagnostics.contains { $0.code == "orphan-containers" })
        let changed = plan(after, engine)
        let b = try #require(changed.containers.first { $0.service == "b" })
        #expect(b.action == .recreate)
        #expect(b.changed == ["image"])
        #expect(b.containerID == "b1")
        #expect(actions(changed)["demo-a-1"] == .keep)
        let stopped = plan(before, self.engine(running(before, state: "exited"), project: before))
        #expect(stopped.containers.allSatisfy { $0.action == .start })
        let created = plan(before, self.engine(running(before, state: "created"), project: before))
        #expect(created.containers.allSatisfy { $0.action == .start }, "a run killed between create and start leaves containers to start")
    }

    @Test func dependentsWithRestartFollowARecreatedDependency() throws {
        let yaml = { (image: String) in
            "services:\n  db: {image: \(image)}\n  app:\n    image: x\n    depends_on: {db: {condition: service_started, restart: true}}\n  other: {image: x, depends_on: [db]}\n"
        }
        let before = try project(yaml("postgres:16"))
        let after = try project(yaml("postgres:17"))
        let plan = plan(after, engine(running(before), project: before))
        #expect(actions(plan) == ["demo-db-1": .recreate, "demo-app-1": .restart, "demo-other-1": .keep])
    }

    @Test func recreateOptionsForTargetsAndDependencies() throws {
        let compose = try project("services:\n  db: {image: x}\n  web: {image: x, depends_on: [db]}\n")
        let engine = engine(running(compose), project: compose)
        #expect(actions(plan(compose, engine) { $0.recreate = .force }) == ["demo-db-1": .recreate, "demo-web-1": .recreate])
        // Named services follow --force-recreate; the dependencies that come along do not, unless --always-recreate-deps.
        #expect(actions(plan(compose, engine) { $0.recreate = .force; $0.services = ["web"] }) == ["demo-db-1": .keep, "demo-web-1": .recreate])
        #expect(actions(plan(compose, engine) { $0.services = ["web"]; $0.alwaysRecreateDeps = true }) == ["demo-db-1": .recreate, "demo-web-1": .keep])
        #expect(actions(plan(compose, engine) { $0.services = ["web"]; $0.noDeps = true }) == ["demo-web-1": .keep])
        let changed = try project("services:\n  db: {image: x, command: [changed]}\n  web: {image: x, depends_on: [db]}\n")
        #expect(actions(plan(changed, engine) { $0.recreate = .never }) == ["demo-db-1": .keep, "demo-web-1": .keep])
        #expect(actions(plan(changed, engine))["demo-db-1"] == .recreate)
    }

    @Test func scaleDownRemovesObsoleteFirstThenHighestAndScaleUpNumbersAfterTheHighest() throws {
        let three = try project("services:\n  w: {image: x, scale: 3}\n")
        var containers = running(three)
        // Replica 1 is obsolete (another configuration): it goes first, then the highest number.
        containers[0].configHash = "old"
        let down = plan(three, engine(containers, project: three)) { $0.scale = ["w": 1] }
        #expect(down.containers.filter { $0.action == .remove }.map(\.name) == ["demo-w-1", "demo-w-3"])
        #expect(down.containers.filter { $0.action != .remove }.map(\.name) == ["demo-w-2"])
        #expect(down.containers.first { $0.name == "demo-w-2" }?.action == .keep, "a scale change alone recreates nothing")
        // Replicas 1 and 3 exist (2 was removed by hand): two more are numbered 4 and 5, as Compose does.
        let gaps = running(three).filter { $0.number != 2 }
        let up = plan(three, engine(gaps, project: three)) { $0.scale = ["w": 4] }
        #expect(up.containers.map(\.name) == ["demo-w-1", "demo-w-3", "demo-w-4", "demo-w-5"])
        #expect(up.containers.map(\.action) == [.keep, .keep, .create, .create])
    }

    @Test func recreateTriggersBeyondTheConfigHash() throws {
        let compose = try project("""
        services:
          web: {image: x, networks: [front, back]}
          side: {image: x, network_mode: "service:web"}
          reader: {image: x, volumes_from: [web]}
        networks:
          front: {}
          back: {}
        """)
        var containers = running(compose)
        // The image behind the same tag changed (after a pull or build elsewhere).
        var engine = engine(containers, project: compose)
        engine.images["x"] = .init(id: "sha256:newer")
        let pulled = plan(compose, engine)
        #expect(pulled.containers.allSatisfy { $0.action == .recreate && $0.changed.contains("image") })
        // A run killed between create and connect left web on one network: web is recreated, and so are the services
        // in its namespace and reading its volumes.
        containers[0].networks = ["demo_front"]
        let partial = plan(compose, self.engine(containers, project: compose))
        #expect(partial.containers.first { $0.service == "web" }?.changed == ["networks"])
        #expect(partial.containers.first { $0.service == "side" }?.changed == ["network_mode"])
        #expect(partial.containers.first { $0.service == "reader" }?.changed == ["volumes_from"])
        // side joined a container that is no longer web's.
        var moved = running(compose)
        moved[1].networkMode = "container:gone"
        #expect(plan(compose, self.engine(moved, project: compose)).containers.first { $0.service == "side" }?.changed == ["network_mode"])
    }

    @Test func anonymousVolumesAreCarriedIntoTheReplacementUnlessRenewed() throws {
        let before = try project("services:\n  db: {image: x, volumes: [\"/var/lib/data\", \"named:/named\"]}\nvolumes:\n  named: {}\n")
        let after = try project("services:\n  db: {image: x, command: [new], volumes: [\"/var/lib/data\", \"named:/named\"]}\nvolumes:\n  named: {}\n")
        var containers = running(before)
        containers[0].volumes = [.init(name: "a1b2c3", destination: "/var/lib/data"), .init(name: "demo_named", destination: "/named")]
        let engine = engine(containers, project: before)
        let step = try #require(plan(after, engine).containers.first)
        #expect(step.action == .recreate)
        #expect(step.inheritedVolumes == [.init(name: "a1b2c3", destination: "/var/lib/data")])
        let renewed = try #require(plan(after, engine) { $0.renewAnonVolumes = true; $0.recreate = .force }.containers.first)
        #expect(renewed.inheritedVolumes.isEmpty)
    }

    @Test func networksWithAnotherConfigurationAreRecreatedAndUnmanagedOnesWarned() throws {
        let before = try project("services:\n  a: {image: x, networks: [n]}\nnetworks:\n  n: {internal: false}\n")
        let after = try project("services:\n  a: {image: x, networks: [n]}\nnetworks:\n  n: {internal: true}\n")
        var engine = engine(running(before), project: before)
        engine.networks = [.init(id: "n1", name: "demo_n", project: "demo", configHash: ResourceFingerprint(network: before.networks[0]).hash,
                                 config: ResourceFingerprint(network: before.networks[0]).canonical)]
        let plan = plan(after, engine)
        let step = try #require(plan.networks.first)
        #expect(step.action == .recreate && step.changed == ["internal"] && step.existingID == "n1")
        #expect(step.attached == ["a1"])
        #expect(actions(plan)["demo-a-1"] == .keep, "attached containers are disconnected and reconnected, not recreated")
        engine.networks = [.init(id: "n1", name: "demo_n")]
        let unmanaged = self.plan(after, engine)
        #expect(unmanaged.networks.isEmpty)
        #expect(unmanaged.diagnostics.map(\.code) == ["unmanaged-network"])
    }

    @Test func changedVolumesAreRefusedUnlessConfirmed() throws {
        let before = try project("services:\n  a: {image: x, volumes: [\"data:/data\"]}\nvolumes:\n  data: {}\n")
        let after = try project("services:\n  a: {image: x, volumes: [\"data:/data\"]}\nvolumes:\n  data: {driver_opts: {type: tmpfs, device: tmpfs}}\n")
        var containers = running(before)
        containers[0].volumes = [.init(name: "demo_data", destination: "/data")]
        var engine = engine(containers, project: before)
        engine.volumes = [.init(name: "demo_data", project: "demo", configHash: ResourceFingerprint(volume: before.volumes[0]).hash,
                                config: ResourceFingerprint(volume: before.volumes[0]).canonical)]
        let refused = plan(after, engine)
        let error = try #require(refused.diagnostics.first { $0.code == "volume-changed" })
        #expect(error.severity == .error)
        #expect(error.message.contains("changed: driver_opts") && error.message.contains("deletes its data"), "\(error.message)")
        #expect(error.location?.line == 4)
        let confirmed = plan(after, engine) { $0.recreateChangedVolumes = true }
        #expect(!confirmed.hasErrors)
        #expect(confirmed.volumes.first?.action == .recreate && confirmed.volumes.first?.users == ["a1"])
        #expect(confirmed.containers.first?.action == .recreate && confirmed.containers.first?.changed == ["volume:data"])
    }

    @Test func imagesToPullAndBuild() throws {
        let compose = try project("""
        services:
          a: {image: present}
          b: {image: absent}
          c: {image: present, pull_policy: always}
          d: {build: ., image: built}
          e: {image: gone, pull_policy: never}
        """)
        let engine = EngineSnapshot(reachable: true, images: ["present": .init(id: "sha256:p"), "built": .init(id: "sha256:b")])
        let steps = plan(compose, engine).images.map { "\($0.reference) \($0.action.rawValue) \($0.reason)" }
        #expect(steps == ["absent pull missing", "present pull pull_policy: always"])
        #expect(plan(compose, engine).diagnostics.contains { $0.code == "missing-image" && $0.service == "e" })
        #expect(plan(compose, engine) { $0.build = true }.images.contains { $0.reference == "built" && $0.action == .build })
        // --pull always covers the services without a policy of their own; `never` and a build context keep theirs.
        #expect(plan(compose, engine) { $0.pull = .always }.images.map(\.reference) == ["present", "absent"])
    }
}

/// What a killed run, another tool or another user can leave on the engine.
@Suite struct PlannerLeftoverTests {
    let tests = PlannerTests()

    @Test func aRecreateKilledHalfWayLeavesOneReplicaNotTwo() throws {
        let compose = try tests.project("services:\n  db: {image: x}\n")
        var containers = tests.running(compose)
        // The replacement, under its temporary name, next to the container it was replacing.
        var replacement = containers[0]
        replacement.id = "new"
        replacement.name = "db1ab_demo-db-1"
        replacement.created = 99
        containers.append(replacement)
        let both = tests.plan(compose, tests.engine(containers, project: compose))
        #expect(tests.actions(both) == ["demo-db-1": .keep, "db1ab_demo-db-1": .remove])
        // Only the replacement is left (the old one was removed before the rename): it is recreated under its name.
        let alone = tests.plan(compose, tests.engine([replacement], project: compose))
        #expect(alone.containers.map { "\($0.name) \($0.action.rawValue) \($0.changed)" } == ["demo-db-1 recreate [\"name\"]"])
    }

    @Test func pausedContainersAreUnpausedAndDeadOnesRecreated() throws {
        let compose = try tests.project("services:\n  a: {image: x}\n  b: {image: x}\n")
        var containers = tests.running(compose)
        containers[0].state = "paused"
        containers[1].state = "dead"
        let plan = tests.plan(compose, tests.engine(containers, project: compose)) { $0.recreate = .never }
        #expect(tests.actions(plan) == ["demo-a-1": .unpause, "demo-b-1": .recreate])
    }

    @Test func networksAndVolumesComposeMadeAreUsedAsTheyAre() throws {
        let compose = try tests.project("services:\n  a: {image: x, networks: [n], volumes: [\"v:/v\"]}\nnetworks:\n  n: {}\nvolumes:\n  v: {}\n")
        var engine = tests.engine(tests.running(compose), project: compose)
        // docker compose records a hash of its own, without Berth's copy of the configuration.
        engine.networks = [.init(id: "n1", name: "demo_n", project: "demo", configHash: "compose-made")]
        engine.volumes = [.init(name: "demo_v", project: "demo", configHash: "compose-made")]
        let plan = tests.plan(compose, engine)
        #expect(plan.networks.isEmpty && plan.volumes.isEmpty && !plan.hasErrors)
        #expect(!plan.hasChanges)
    }

    @Test func aVolumeAnotherContainerUsesIsNotRecreated() throws {
        let before = try tests.project("services:\n  a: {image: x, volumes: [\"data:/data\"]}\nvolumes:\n  data: {}\n")
        let after = try tests.project("services:\n  a: {image: x, volumes: [\"data:/data\"]}\nvolumes:\n  data: {labels: {changed: \"1\"}}\n")
        var containers = tests.running(before)
        containers[0].volumes = [.init(name: "demo_data", destination: "/data")]
        let outsider = EngineSnapshot.Container(id: "o", name: "backup", volumes: [.init(name: "demo_data", destination: "/backup")])
        var engine = tests.engine(containers + [outsider], project: before)
        engine.volumes = [.init(name: "demo_data", project: "demo", configHash: ResourceFingerprint(volume: before.volumes[0]).hash,
                                config: ResourceFingerprint(volume: before.volumes[0]).canonical)]
        let plan = tests.plan(after, engine) { $0.recreateChangedVolumes = true }
        #expect(plan.volumes.isEmpty)
        #expect(plan.diagnostics.first { $0.code == "volume-in-use" }?.message.contains("'backup'") == true)
        // Without the outsider, even --no-recreate gives way: the users of a recreated volume are recreated.
        var alone = tests.engine(containers, project: before)
        alone.volumes = engine.volumes
        let forced = tests.plan(after, alone) { $0.recreateChangedVolumes = true; $0.recreate = .never }
        #expect(forced.containers.first?.action == .recreate && forced.containers.first?.changed == ["volume:data"])
    }

    @Test func aNamespaceParentLeftOutWithNoDepsIsFoundOnTheEngine() throws {
        let compose = try tests.project("services:\n  web: {image: x}\n  side: {image: x, network_mode: \"service:web\"}\n")
        let running = tests.running(compose).filter { $0.service == "web" }
        let plan = tests.plan(compose, tests.engine(running, project: compose)) { $0.services = ["side"]; $0.noDeps = true }
        #expect(plan.services == ["side"])
        #expect(plan.outsideParents == ["web": "web1"])
    }
}
