import BerthDiagnostics
import BerthGraph
import BerthPlan
import BerthSpec
import DockerEngine
import Foundation

/// `stack deploy` and `stack rm` on a swarm manager: networks, secrets and configs first, then the services in
/// dependency order (each level waits for its dependencies' tasks when `depends_on` asks for a condition), an existing
/// service updated at its version, not re-created.
extension Executor {
    public struct StackOptions: Sendable {
        /// Remove the stack's services that are no longer in the files.
        public var prune = false
        /// Wait until every service converges (`--detach=false`); levels with `depends_on` conditions wait anyway.
        public var wait = false
        /// How long a wait for tasks may take, in seconds.
        public var timeout = 300
        /// `--resolve-image`: pin images to their registry digest `always`, when `changed`, or `never`.
        public var resolveImage = "always"
        /// `--with-registry-auth`: the credentials sent with each service, for the agents' pulls.
        public var registryAuth = false
        public init() {}
    }

    /// What a deploy did, by object.
    public struct StackReport: Sendable {
        public var created: [String] = []
        public var updated: [String] = []
        public var removed: [String] = []
        public var warnings: [Diagnostic] = []
    }

    public func deployStack(_ project: ComposeProject, stack: String, options: StackOptions = StackOptions()) async throws(RuntimeError) -> StackReport {
        var report = StackReport()
        let state = try await engineCall({ try await client.swarmState() }, { .error("engine-error", "cannot read the swarm state: \($0)", at: nil) })
        guard state.manager else {
            throw RuntimeError("swarm-not-manager", "this node is not a swarm manager: use \"docker swarm init\" or \"docker swarm join\" to connect this node to a swarm, or point -H/DOCKER_HOST at a manager", at: nil)
        }
        let label = "\(SwarmSpec.namespaceLabel)=\(stack)"
        // Networks: external ones must exist in swarm scope; the stack's own are created once, never updated.
        let existing = try await engineCall({ try await client.listNetworks() }, { .error("engine-error", "cannot list networks: \($0)", at: nil) })
        for network in SwarmSpec.usedNetworks(project) {
            let name = SwarmSpec.networkName(stack: stack, network)
            if network.external {
                guard ["host", "bridge", "none"].contains(name) || existing.contains(where: { $0.name == name }) else {
                    throw RuntimeError("unknown-network", "network \"\(name)\" is declared as external, but could not be found: create a swarm-scoped network before the stack is deployed", at: network.location)
                }
                continue
            }
            guard !existing.contains(where: { $0.name == name }) else { continue }
            progress(.network, name, .creating)
            _ = try await engineCall({ try await client.createNetwork(SwarmSpec.networkBody(stack: stack, network)) },
                                     { .error("engine-error", "cannot create network '\(name)': \($0)", at: network.location) })
            progress(.network, name, .created)
            report.created.append(name)
        }

        // The engine stores a service's networks by ID (it resolves the names sent): for comparing specs.
        let networkIDs = Dictionary((report.created.isEmpty ? existing : (try? await client.listNetworks()) ?? existing).map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })

        // Secrets and configs, named after their content: a changed one is a new object, and the service rolls.
        let secrets = try await ensureObjects("secrets", project.secrets, stack: stack, report: &report)
        let configs = try await ensureObjects("configs", project.configs, stack: stack, report: &report)
        let currentObjects = Set(secrets.values.map(\.name) + configs.values.map(\.name))

        // Services, level by level.
        let current = try await engineCall({ try await client.listServices(filters: ["label": [label]]) },
                                           { .error("engine-error", "cannot list the stack's services: \($0)", at: nil) })
        if options.prune {
            let wanted = Set(project.services.map { SwarmSpec.scoped(stack, $0.name) })
            for service in current.sorted(by: { $0.name < $1.name }) where !wanted.contains(service.name) {
                progress(.service, service.name, .removing)
                try await engineCall({ try await client.removeService(service.id) }, { .error("engine-error", "cannot remove service '\(service.name)': \($0)", at: nil) })
                progress(.service, service.name, .removed)
                report.removed.append(service.name)
            }
        }
        // Versions of secrets and configs an earlier deploy superseded go once no service of the stack is mid-update
        // (a rollback may still need them until then).
        if !current.contains(where: { ["updating", "paused", "rollback_started", "rollback_paused"].contains($0.updateState ?? "") }) {
            await removeSuperseded(project, stack: stack, keeping: currentObjects, report: &report)
        }
        let (graph, _) = ServiceGraph.build(project)
        let levels = graph.levels()
        // Each image's registry digest is asked for once per deploy (an unreachable registry takes the engine ~20 s).
        var digests: [String: String?] = [:]
        let conditional = project.services.contains { $0.dependsOn.contains { $0.condition != .started } }
        for (index, level) in levels.enumerated() {
            var ids: [String: String] = [:]
            for name in level {
                guard let service = project.service(named: name) else { continue }
                let scoped = SwarmSpec.scoped(stack, name)
                let old = current.first(where: { $0.name == scoped })
                let written = Planner.imageReference(project: project, service: service)
                let auth = options.registryAuth ? registryAuth(for: written) : nil
                let image = await resolvedImage(written, existing: old, mode: options.resolveImage, auth: auth, service: service, digests: &digests, report: &report)
                let spec = SwarmSpec.signed(SwarmSpec.serviceBody(service, project: project, stack: stack, secrets: secrets, configs: configs, image: image))
                if let old, old.labels[SwarmSpec.specHashLabel] == spec["Labels"]?[SwarmSpec.specHashLabel]?.string,
                   [nil, "completed", "rollback_completed"].contains(old.updateState),
                   old.spec.covers(SwarmSpec.withNetworkIDs(spec, networks: networkIDs)) {
                    // Berth sent this very spec, and nobody changed what it says since (a scale, say): nothing to send.
                    progress(.service, scoped, .running, "unchanged")
                    ids[name] = old.id
                } else if let old {
                    progress(.service, scoped, .recreating, "update")
                    // The existing ForceUpdate is kept, so an update does not restart tasks that did not change.
                    var kept = spec
                    if case .object(var body) = kept, case .object(var task)? = body["TaskTemplate"], let force = old.spec["TaskTemplate"]?["ForceUpdate"] {
                        task["ForceUpdate"] = force
                        body["TaskTemplate"] = .object(task)
                        kept = .object(body)
                    }
                    let warnings = try await engineCall({ try await client.updateService(old.id, version: old.version, spec: kept, registryAuth: auth?.header) },
                                                        { .error("engine-error", "cannot update service '\(scoped)': \(Self.message($0))", at: service.location, service: name) })
                    for warning in warnings { report.warnings.append(.warning("engine-warning", warning, at: service.location, service: name)) }
                    progress(.service, scoped, .recreated)
                    report.updated.append(scoped)
                    ids[name] = old.id
                } else {
                    progress(.service, scoped, .creating)
                    let created = try await engineCall({ try await client.createService(spec, registryAuth: auth?.header) },
                                                       { .error("engine-error", "cannot create service '\(scoped)': \(Self.message($0))", at: service.location, service: name) })
                    progress(.service, scoped, .created)
                    report.created.append(scoped)
                    ids[name] = created.id
                }
            }
            // The next level starts once this one meets what the next one depends on.
            let last = index == levels.count - 1
            if (conditional && !last) || (options.wait && last) {
                for name in level {
                    guard let id = ids[name], let service = project.service(named: name) else { continue }
                    let healthy = project.services.contains { $0.dependsOn.contains { $0.service == name && $0.condition == .healthy } }
                    let completed = (service.swarm.mode ?? "").hasSuffix("-job")
                        && project.services.contains { $0.dependsOn.contains { $0.service == name && $0.condition == .completedSuccessfully } }
                    try await waitForTasks(id, service: service, stack: stack, healthy: healthy, completed: completed, timeout: options.timeout)
                }
            }
        }
        if options.wait {
            await removeSuperseded(project, stack: stack, keeping: currentObjects, report: &report)
        }
        return report
    }

    /// Removes the stack's earlier versions of its secrets and configs (`<stack>_<key>_<8 hex>` with another hash) that
    /// no service uses any more; the swarm refuses to remove one a service still uses, and that one is kept.
    func removeSuperseded(_ project: ComposeProject, stack: String, keeping: Set<String>, report: inout StackReport) async {
        let filters = ["label": ["\(SwarmSpec.namespaceLabel)=\(stack)"]]
        for (kind, objects) in [("secrets", project.secrets), ("configs", project.configs)] {
            let prefixes = objects.filter { !$0.external && $0.explicitName == nil }.map { "\(stack)_\($0.name)_" }
            for object in (try? await client.listSwarmObjects(kind, filters: filters)) ?? [] where !keeping.contains(object.name) {
                guard let prefix = prefixes.first(where: { object.name.hasPrefix($0) }), object.name.count == prefix.count + 8 else { continue }
                if (try? await client.removeSwarmObject(kind, id: object.id)) != nil {
                    progress(kind == "secrets" ? .secret : .config, object.name, .removed)
                    report.removed.append(object.name)
                }
            }
        }
    }

    private static func message(_ error: Error) -> String { (error as? DockerError)?.message ?? "\(error)" }

    /// The image a service is sent with, as `docker stack deploy --resolve-image` decides it: pinned to its registry
    /// digest (`always`; `changed` only when it differs from what the service runs now), else as written with the
    /// docker CLI's warning when no registry answers; an unchanged image keeps the service's current reference.
    private func resolvedImage(_ written: String, existing: SwarmService?, mode: String, auth: RegistryAuth?, service: Service,
                               digests: inout [String: String?], report: inout StackReport) async -> String {
        let running = existing?.spec["TaskTemplate"]?["ContainerSpec"]?["Image"]?.string
        let unchanged = existing?.labels[SwarmSpec.imageLabel] == written
        if mode == "never" || (mode == "changed" && unchanged) { return unchanged ? running ?? written : written }
        let digest: String?
        if let known = digests[written] {
            digest = known
        } else {
            digest = try? await client.distributionDigest(written, auth: auth)
            digests[written] = .some(digest)
        }
        guard let digest else {
            report.warnings.append(.warning("image-not-pinned", "image \(written) could not be accessed on a registry to record its digest: each node uses its own copy of \(written), possibly different versions", at: service.imageLocation ?? service.location, service: service.name))
            return written
        }
        let reference = ImageReference(written)
        return "\(reference.name):\(reference.tag ?? "latest")@\(digest)"
    }

    /// Credentials for the image's registry, as the docker CLI finds them in config.json.
    private func registryAuth(for image: String) -> RegistryAuth? {
        guard let config = try? DockerConfigFile.load(directory: configDirectory) else { return nil }
        return try? RegistryAuth.resolve(registry: RegistryAuth.registry(of: image), config: config)
    }

    /// Creates the secrets or configs the project declares (not the external ones), unless one of the same name
    /// exists; returns each key's ID and name.
    private func ensureObjects(_ kind: String, _ objects: [FileObjectDefinition], stack: String,
                               report: inout StackReport) async throws(RuntimeError) -> [String: (id: String, name: String)] {
        var found: [String: (id: String, name: String)] = [:]
        let existing = try await engineCall({ try await client.listSwarmObjects(kind) }, { .error("engine-error", "cannot list \(kind): \($0)", at: nil) })
        for object in objects {
            let name = SwarmSpec.objectName(stack: stack, object)
            if let present = existing.first(where: { $0.name == name }) {
                found[object.name] = (present.id, name)
                continue
            }
            if object.external {
                throw RuntimeError("unknown-secret", "\(kind.dropLast()) '\(name)' is external but does not exist in the swarm", at: object.location)
            }
            guard let data = SwarmSpec.objectData(object) else {
                throw RuntimeError("file-not-found", "\(kind.dropLast()) '\(object.name)' has no content to create it from", at: object.location)
            }
            var labels = Dictionary(object.labels.map { ($0.key, $0.value ?? "") }, uniquingKeysWith: { $1 })
            labels[SwarmSpec.namespaceLabel] = stack
            let id = try await engineCall({ try await client.createSwarmObject(kind, name: name, data: data, labels: labels) },
                                          { .error("engine-error", "cannot create \(kind.dropLast()) '\(name)': \(Self.message($0))", at: object.location) })
            progress(kind == "secrets" ? .secret : .config, name, .created)
            report.created.append(name)
            found[object.name] = (id, name)
        }
        return found
    }

    /// Waits until a service's tasks are running (and healthy when asked), or, for a job, complete.
    func waitForTasks(_ id: String, service: Service, stack: String, healthy: Bool, completed: Bool, timeout: Int) async throws(RuntimeError) {
        let name = SwarmSpec.scoped(stack, service.name)
        let deadline = ContinuousClock.now + .seconds(timeout)
        var shown = -1
        let desiredTasks = try? await client.inspectService(id)?.desiredTasks
        while ContinuousClock.now < deadline {
            let tasks = (try? await client.listTasks(filters: ["service": [id], "desired-state": ["running", "shutdown"]])) ?? []
            let desired = desiredTasks ?? tasks.filter { $0.desiredState == "running" }.count
            let running = tasks.filter { $0.desiredState == "running" && $0.state == "running" }
            if running.count != shown {
                progress(.service, name, .waiting, "\(running.count)/\(desired) running")
                shown = running.count
            }
            if completed, tasks.contains(where: { $0.state == "complete" }) { return }
            if let failed = tasks.first(where: { $0.state == "failed" || $0.state == "rejected" }), running.isEmpty, desired > 0, !completed {
                if tasks.filter({ $0.desiredState == "running" }).isEmpty {
                    throw RuntimeError("dependency-failed", "service '\(service.name)' failed: \(failed.error.isEmpty ? failed.message : failed.error)", at: service.location, service: service.name)
                }
            }
            // A task whose service has a health check stays `starting` until the check passes, so running is healthy.
            if !completed, desired > 0, running.count >= desired {
                progress(.service, name, .running, "\(running.count)/\(desired)\(healthy ? " healthy" : "")")
                return
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
        throw RuntimeError("service-unhealthy", "service '\(service.name)' did not converge within \(timeout) s", at: service.location, service: service.name)
    }

    /// `stack rm`: services (by name), secrets, configs, then networks, all found by the stack's label; waits until the
    /// services' tasks are gone and the networks removed, up to `timeout` seconds.
    public func removeStack(_ stack: String, timeout: Int = 120) async throws(RuntimeError) -> StackReport {
        var report = StackReport()
        let filters = ["label": ["\(SwarmSpec.namespaceLabel)=\(stack)"]]
        let services = try await engineCall({ try await client.listServices(filters: filters) }, { .error("engine-error", "cannot list services: \($0)", at: nil) })
        for service in services.sorted(by: { $0.name < $1.name }) {
            progress(.service, service.name, .removing)
            try? await client.removeService(service.id)
            report.removed.append(service.name)
        }
        // Tasks go before their secrets, configs and networks can.
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            let tasks = (try? await client.listTasks(filters: filters)) ?? []
            if tasks.isEmpty { break }
            try? await Task.sleep(for: .milliseconds(500))
        }
        for kind in ["secrets", "configs"] {
            for object in (try? await client.listSwarmObjects(kind, filters: filters)) ?? [] {
                try? await client.removeSwarmObject(kind, id: object.id)
                report.removed.append(object.name)
            }
        }
        var networks = (try? await client.listNetworks(filters: filters)) ?? []
        while !networks.isEmpty, ContinuousClock.now < deadline {
            for network in networks {
                progress(.network, network.name, .removing)
                if (try? await client.removeNetwork(network.id)) != nil {
                    progress(.network, network.name, .removed)
                    report.removed.append(network.name)
                }
            }
            networks = (try? await client.listNetworks(filters: filters)) ?? []
            if !networks.isEmpty { try? await Task.sleep(for: .milliseconds(500)) }
        }
        if !networks.isEmpty {
            throw RuntimeError("engine-error", "stack '\(stack)': network(s) \(networks.map(\.name).joined(separator: ", ")) still in use after \(timeout) s", at: nil)
        }
        for service in services { progress(.service, service.name, .removed) }
        return report
    }
}
