import BerthDiagnostics
import BerthGraph
import BerthPlan
import BerthSpec
import DockerEngine
import Foundation

/// Brings a project up and down on a real engine.
public struct Executor: Sendable {
    public struct UpOptions: Sendable {
        public var services: [String] = []
        public var forceRecreate = false
        public var noRecreate = false
        public var removeOrphans = false
        public var pull = "missing"
        /// Build images of services with `build:` even when they are present.
        public var build = false
        public var wait = false
        public var rollback = false

        public init() {}
    }

    public struct DownOptions: Sendable {
        public var removeVolumes = false
        public var timeout: Int?

        public init() {}
    }

    public let client: DockerClient
    public let progress: ProgressReporter
    static let removalConcurrency = 4

    public init(client: DockerClient, progress: ProgressReporter = .standardError) {
        self.client = client
        self.progress = progress
    }

    // MARK: up

    public func up(_ project: ComposeProject, options: UpOptions = UpOptions()) async throws(RuntimeError) {
        var created = CreatedResources()
        do {
            try await upSteps(project, options: options, created: &created)
        } catch {
            if options.rollback { await rollback(created) }
            throw error
        }
    }

    struct CreatedResources: Sendable {
        var containers: [String] = []
        var networks: [String] = []
        var volumes: [String] = []
    }

    private func engineCall<T>(_ body: () async throws -> T, _ diagnostic: @autoclosure () -> (Error) -> Diagnostic) async throws(RuntimeError) -> T {
        do { return try await body() } catch { throw RuntimeError([diagnostic()(error)]) }
    }

    private func upSteps(_ project: ComposeProject, options: UpOptions, created: inout CreatedResources) async throws(RuntimeError) {
        let (graph, graphDiagnostics) = ServiceGraph.build(project)
        if graphDiagnostics.hasErrors { throw RuntimeError(graphDiagnostics) }
        var selected = Set(options.services.isEmpty ? project.services.map(\.name) : options.services)
        // Named services bring their dependencies along.
        var queue = Array(selected)
        while let next = queue.popLast() {
            for edge in graph.dependencies(of: next) where selected.insert(edge.to).inserted { queue.append(edge.to) }
        }
        let services = project.services.filter { selected.contains($0.name) }

        // Networks and volumes first.
        let existingNetworks = try await engineCall({ try await client.listNetworks() },
            { .error("engine-error", "cannot list networks: \($0)", at: nil) })
        let usedNetworks = Set(services.flatMap { $0.networkMode == nil ? $0.networks.map(\.name) : [] })
        for network in project.networks where usedNetworks.contains(network.name) {
            if existingNetworks.contains(where: { $0["Name"]?.string == network.engineName }) { continue }
            if network.external {
                throw RuntimeError("unknown-network", "external network '\(network.engineName)' does not exist", at: network.location)
            }
            var body: [String: JSONValue] = [
                "Name": .string(network.engineName), "CheckDuplicate": true, "Driver": .string(network.driver ?? "bridge"),
                "Internal": .bool(network.internal), "Attachable": .bool(network.attachable), "EnableIPv6": .bool(network.enableIPv6),
            ]
            var labels: [String: JSONValue] = [ComposeLabels.project: .string(project.name), ComposeLabels.network: .string(network.name)]
            for label in network.labels { labels[label.key] = .string(label.value ?? "") }
            body["Labels"] = .object(labels)
            if !network.driverOptions.isEmpty {
                body["Options"] = .object(Dictionary(uniqueKeysWithValues: network.driverOptions.map { ($0.key, JSONValue.string($0.value ?? "")) }))
            }
            if !network.ipam.isEmpty || network.ipamDriver != nil {
                let configs: [JSONValue] = network.ipam.map { config in
                    var entry: [String: JSONValue] = [:]
                    if let subnet = config.subnet { entry["Subnet"] = .string(subnet) }
                    if let gateway = config.gateway { entry["Gateway"] = .string(gateway) }
                    if let range = config.ipRange { entry["IPRange"] = .string(range) }
                    return .object(entry)
                }
                body["IPAM"] = ["Driver": .string(network.ipamDriver ?? "default"), "Config": .array(configs)]
            }
            progress("Network \(network.engineName)  Creating")
            _ = try await engineCall({ try await client.createNetwork(.object(body)) }, { error in
                let message = (error as? DockerError)?.message ?? "\(error)"
                return .error(message.contains("overlaps") ? "subnet-overlap" : "engine-error",
                              "cannot create network '\(network.engineName)': \(message)", at: network.ipam.first?.location ?? network.location)
            })
            created.networks.append(network.engineName)
            progress("Network \(network.engineName)  Created")
        }
        let existingVolumes = try await engineCall({ try await client.listVolumes() }, { .error("engine-error", "cannot list volumes: \($0)", at: nil) })
        let usedVolumes = Set(services.flatMap { $0.volumes.compactMap { $0.type == .volume ? $0.source : nil } })
        for volume in project.volumes where usedVolumes.contains(volume.name) {
            if existingVolumes.contains(where: { $0["Name"]?.string == volume.engineName }) { continue }
            if volume.external { throw RuntimeError("unknown-volume", "external volume '\(volume.engineName)' does not exist", at: volume.location) }
            var labels: [String: JSONValue] = [ComposeLabels.project: .string(project.name), ComposeLabels.volume: .string(volume.name)]
            for label in volume.labels { labels[label.key] = .string(label.value ?? "") }
            let body: JSONValue = ["Name": .string(volume.engineName), "Driver": .string(volume.driver ?? "local"), "Labels": .object(labels)]
            try await engineCall({ try await client.createVolume(body) }, { .error("engine-error", "cannot create volume '\(volume.engineName)': \($0)", at: volume.location) })
            created.volumes.append(volume.engineName)
            progress("Volume \(volume.engineName)  Created")
        }

        // Images: build what has a build context and is missing (or always with `build`), pull the rest as the
        // pull policy says.
        for service in services {
            let image = ContainerSpec.imageReference(project: project, service: service)
            let present = try await engineCall({ try await client.inspectImage(image) != nil }, { .error("engine-error", "\($0)", at: service.location) })
            if let build = service.build {
                guard options.build || !present || service.pullPolicy == "build" else { continue }
                try await buildImage(image, build: build, service: service)
                continue
            }
            let policy = service.pullPolicy ?? options.pull
            if policy == "always" || (!present && policy != "never") {
                progress("Image \(image)  Pulling")
                try await engineCall({ try await client.pullImage(image) { self.progress("Image \(image)  \($0)") } }, { error in
                    .error("missing-image", "service '\(service.name)': cannot pull image '\(image)': \((error as? DockerError)?.message ?? "\(error)")", at: service.location, service: service.name)
                })
            } else if !present {
                throw RuntimeError("missing-image", "service '\(service.name)': image '\(image)' is not present and pull_policy is 'never'", at: service.location, service: service.name)
            }
        }

        // Existing containers of the project.
        let existing = try await engineCall({ try await client.listContainers(all: true, filters: ["label": ["\(ComposeLabels.project)=\(project.name)"]]) },
                                            { .error("engine-error", "cannot list containers: \($0)", at: nil) })
        let known = Set(project.services.map(\.name) + project.disabledServices.map(\.name))
        let orphans = existing.filter { !known.contains($0["Labels"]?[ComposeLabels.service]?.string ?? "") }
        if !orphans.isEmpty {
            if options.removeOrphans {
                for orphan in orphans {
                    let id = orphan["Id"]?.string ?? ""
                    progress("Container \(Self.name(of: orphan))  Removing orphan")
                    try? await client.removeContainer(id, force: true)
                }
            } else {
                progress("Warning: found orphan containers (\(orphans.map(Self.name).joined(separator: ", "))) for this project; run with --remove-orphans to clean them up")
            }
        }

        try await startAll(project: project, services: services, graph: graph, existing: existing, options: options, created: &created)
    }

    /// A container's name from a list entry, without the leading slash.
    public static func name(of container: JSONValue) -> String {
        String((container["Names"]?.array?.first?.string ?? "").drop { $0 == "/" })
    }

    // MARK: start in dependency order

    private func startAll(project: ComposeProject, services: [Service], graph: ServiceGraph, existing: [JSONValue],
                          options: UpOptions, created: inout CreatedResources) async throws(RuntimeError) {
        let coordinator = StartCoordinator(services: services.map(\.name))
        let selected = Set(services.map(\.name))
        let outcome = await withTaskGroup(of: ServiceOutcome.self) { group -> [ServiceOutcome] in
            for service in services {
                let mine = existing.filter { $0["Labels"]?[ComposeLabels.service]?.string == service.name }
                group.addTask {
                    await self.bringUp(service, project: project, graph: graph, selected: selected, existing: mine,
                                       options: options, coordinator: coordinator)
                }
            }
            var outcomes: [ServiceOutcome] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        created.containers += outcome.flatMap(\.created)
        let failures = outcome.compactMap(\.failure)
        if !failures.isEmpty { throw RuntimeError(failures) }
        if options.wait {
            for service in services {
                let needsCompletion = project.services.contains { $0.dependsOn.contains { $0.service == service.name && $0.condition == .completedSuccessfully } }
                if let failure = await coordinator.waitHealthy(service.name, client: client, completionCounts: needsCompletion) {
                    throw RuntimeError([failure])
                }
            }
        }
    }

    struct ServiceOutcome: Sendable {
        var created: [String] = []
        var failure: Diagnostic?
    }

    private func bringUp(_ service: Service, project: ComposeProject, graph: ServiceGraph, selected: Set<String>,
                         existing: [JSONValue], options: UpOptions, coordinator: StartCoordinator) async -> ServiceOutcome {
        var outcome = ServiceOutcome()
        // Wait for what this service depends on.
        for edge in graph.dependencies(of: service.name) where selected.contains(edge.to) {
            let condition: DependencyCondition = if case .dependsOn(let c, _) = edge.kind { c } else { .started }
            if let problem = await coordinator.waitFor(edge.to, condition: condition, client: client) {
                var d = Diagnostic.error("dependency-failed", "service '\(service.name)' was not started: its dependency '\(edge.to)' \(problem)", at: edge.location, service: service.name)
                d.related = [.init(location: project.service(named: edge.to)?.location, message: "'\(edge.to)' is defined here", service: edge.to)]
                outcome.failure = d
                await coordinator.finish(service.name, ids: [], failed: true)
                return outcome
            }
        }
        // A dependency with `restart: true` that was recreated in this run restarts this service too, as in Compose.
        var restartForDependency: String?
        for dependency in service.dependsOn where dependency.restart && selected.contains(dependency.service) {
            if await coordinator.wasRecreated(dependency.service) { restartForDependency = dependency.service }
        }
        let hash = ServiceFingerprint(service).hash
        var ids: [String] = []
        do {
            let image = ContainerSpec.imageReference(project: project, service: service)
            for number in 1...max(service.replicas, 1) {
                let name = ContainerSpec.containerName(project: project, service: service, number: number)
                let current = existing.first { Int($0["Labels"]?[ComposeLabels.number]?.string ?? "") == number }
                if let current, let id = current["Id"]?.string {
                    let same = current["Labels"]?[ComposeLabels.configHash]?.string == hash
                    if options.noRecreate || (same && !options.forceRecreate) {
                        if current["State"]?.string != "running" {
                            progress("Container \(name)  Starting")
                            try await client.startContainer(id)
                            progress("Container \(name)  Started")
                        } else if let dependency = restartForDependency {
                            progress("Container \(name)  Restarting (\(dependency) was recreated)")
                            try await client.stopContainer(id, timeout: service.stopGracePeriod.map { Int($0.components.seconds) })
                            try await client.startContainer(id)
                            progress("Container \(name)  Restarted")
                        } else {
                            progress("Container \(name)  Running")
                        }
                        ids.append(id)
                        continue
                    }
                    progress("Container \(name)  Recreate")
                    await coordinator.markRecreated(service.name)
                    try await client.stopContainer(id, timeout: service.stopGracePeriod.map { Int($0.components.seconds) })
                    try await client.removeContainer(id, force: true)
                }
                let started = await coordinator.containersByService()
                let body = ContainerSpec.body(project: project, service: service, number: number, imageReference: image) { name in
                    started[name]?.first
                }
                progress("Container \(name)  Creating")
                let (id, _) = try await client.createContainer(name: name, body: body)
                outcome.created.append(id)
                if service.networkMode == nil {
                    for attachment in service.networks.dropFirst() {
                        guard let network = project.network(named: attachment.name) else { continue }
                        try await client.connectNetwork(network.engineName, container: id, endpoint: ContainerSpec.endpoint(attachment, service: service))
                    }
                }
                progress("Container \(name)  Starting")
                try await client.startContainer(id)
                progress("Container \(name)  Started")
                ids.append(id)
            }
            await coordinator.recordContainers(service.name, ids: ids)
            if service.networkMode == .host, let failure = await checkHostNetworkStart(service, ids: ids) {
                outcome.failure = failure
                await coordinator.finish(service.name, ids: ids, failed: true)
                return outcome
            }
        } catch {
            outcome.failure = EngineErrorTranslator.translate(error, service: service, project: project, action: "starting")
            await coordinator.finish(service.name, ids: ids, failed: true)
            return outcome
        }
        await coordinator.finish(service.name, ids: ids, failed: false)
        return outcome
    }

    /// Builds a service's image through the engine's build endpoint from its context directory.
    private func buildImage(_ image: String, build: BuildSpec, service: Service) async throws(RuntimeError) {
        progress("Image \(image)  Building")
        let dockerfile = build.dockerfile ?? "Dockerfile"
        let tar: [UInt8]
        do {
            tar = try BuildContext.archive(directory: build.context, dockerfile: dockerfile)
        } catch {
            throw RuntimeError("build-failed", "service '\(service.name)': \(error)", at: service.location, service: service.name)
        }
        var args: [String: String] = [:]
        for arg in build.args { if let value = arg.value { args[arg.key] = value } }
        var labels: [String: String] = [:]
        for label in build.labels { labels[label.key] = label.value ?? "" }
        do {
            try await client.buildImage(context: tar, tag: image, dockerfile: build.dockerfile, target: build.target,
                                        buildArgs: args, labels: labels) { self.progress("\(service.name)  \($0)") }
        } catch {
            throw RuntimeError("build-failed", "service '\(service.name)': building image '\(image)' failed: \((error as? DockerError)?.message ?? "\(error)")",
                               at: service.location, service: service.name)
        }
        progress("Image \(image)  Built")
    }

    /// A host-network container that cannot bind its port exits at once while the engine reports success; watch it
    /// for a moment and report its exit with its last log lines.
    private func checkHostNetworkStart(_ service: Service, ids: [String]) async -> Diagnostic? {
        let deadline = ContinuousClock.now + hostNetworkGrace
        while ContinuousClock.now < deadline {
            for id in ids {
                guard let state = try? await client.inspectContainer(id)["State"], state["Running"]?.bool == false else { continue }
                let code = state["ExitCode"]?.int ?? -1
                let logs = (try? await client.logs(id, tail: "5")) ?? []
                var demultiplexer = DockerStreamDemultiplexer()
                let lines = demultiplexer.feed(logs).map { String(decoding: $0.1, as: UTF8.self) }.joined()
                    .split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
                let port = service.ports.first?.location ?? service.networkModeLocation ?? service.location
                return .error("host-network-exit", "service '\(service.name)' (host network) exited with code \(code) right after it started\(lines.isEmpty ? "" : "; its last log lines:\n\(lines)")", at: port, service: service.name)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    private var hostNetworkGrace: Duration { .milliseconds(1500) }

    private func rollback(_ created: CreatedResources) async {
        for id in created.containers { try? await client.removeContainer(id, force: true) }
        for network in created.networks { try? await client.removeNetwork(network) }
        for volume in created.volumes { try? await client.removeVolume(volume) }
        progress("Rolled back: removed \(created.containers.count) container(s), \(created.networks.count) network(s), \(created.volumes.count) volume(s) created by this run")
    }

    // MARK: down

    /// Stops and removes the project's containers and networks, found by label; volumes only with `removeVolumes`.
    /// Collects errors so that one failure does not leave the rest running.
    public func down(projectName: String, stopTimeouts: [String: Int] = [:], options: DownOptions = DownOptions()) async throws(RuntimeError) {
        var failures: [Diagnostic] = []
        let filter = ["label": ["\(ComposeLabels.project)=\(projectName)"]]
        let containers: [JSONValue]
        do { containers = try await client.listContainers(all: true, filters: filter) } catch {
            throw RuntimeError("engine-error", "cannot list the project's containers: \(error)", at: nil)
        }
        // At most four at a time: the engine gets no faster beyond that on this size of machine, and heavy concurrent
        // removal is where engine 20.10 leaves stale network endpoints behind.
        let results = await withTaskGroup(of: Diagnostic?.self) { group -> [Diagnostic] in
            var results: [Diagnostic] = []
            for (index, container) in containers.enumerated() {
                if index >= Self.removalConcurrency, let finished = await group.next(), let finished { results.append(finished) }
                let id = container["Id"]?.string ?? ""
                let name = Self.name(of: container)
                let service = container["Labels"]?[ComposeLabels.service]?.string ?? ""
                let timeout = options.timeout ?? stopTimeouts[service]
                group.addTask {
                    do {
                        if container["State"]?.string == "running" {
                            self.progress("Container \(name)  Stopping")
                            try await self.client.stopContainer(id, timeout: timeout)
                        }
                        try await self.client.removeContainer(id, force: true)
                        self.progress("Container \(name)  Removed")
                        return nil
                    } catch {
                        return .error("engine-error", "cannot remove container '\(name)': \(error)", at: nil, service: service)
                    }
                }
            }
            for await result in group { if let result { results.append(result) } }
            return results
        }
        failures += results
        if let networks = try? await client.listNetworks(filters: filter) {
            for network in networks {
                let name = network["Name"]?.string ?? ""
                do {
                    try await client.removeNetwork(network["Id"]?.string ?? name)
                    progress("Network \(name)  Removed")
                } catch {
                    failures.append(.error("engine-error", "cannot remove network '\(name)': \(error)", at: nil))
                }
            }
        }
        if options.removeVolumes, let volumes = try? await client.listVolumes(filters: filter) {
            for volume in volumes {
                let name = volume["Name"]?.string ?? ""
                do {
                    try await client.removeVolume(name)
                    progress("Volume \(name)  Removed")
                } catch {
                    failures.append(.error("engine-error", "cannot remove volume '\(name)': \(error)", at: nil))
                }
            }
        }
        if !failures.isEmpty { throw RuntimeError(failures) }
    }
}
