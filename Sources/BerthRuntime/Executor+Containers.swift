import BerthDiagnostics
import BerthPlan
import BerthSpec
import DockerEngine
import Foundation

/// The container steps: one task per service, each waiting for what it depends on, then carrying out its steps.
extension Executor {
    func startAll(_ plan: DeploymentPlan, project: ComposeProject, options: UpOptions, created: inout CreatedResources) async throws(RuntimeError) -> UpReport {
        let services = plan.services.compactMap { project.service(named: $0) }
        let coordinator = StartCoordinator(services: services.map(\.name))
        let outcomes = await withTaskGroup(of: ServiceOutcome.self) { group -> [ServiceOutcome] in
            for service in services {
                group.addTask {
                    await self.bringUp(service, steps: plan.steps(of: service.name), plan: plan, project: project, options: options,
                                       coordinator: coordinator)
                }
            }
            var outcomes: [ServiceOutcome] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        created.containers += outcomes.flatMap(\.created)
        let failures = outcomes.compactMap(\.failure)
        if !failures.isEmpty { throw RuntimeError(failures) }
        let done = outcomes.map(\.done).reduce(0, +)
        let remaining = outcomes.map(\.remaining).reduce(0, +)
        let report = UpReport(plan: plan, interrupted: remaining > 0, done: done, remaining: remaining)
        if options.wait && !report.interrupted {
            let client = client
            let failure = await WaitDeadline.run(seconds: options.waitTimeout) {
                for service in services {
                    let needsCompletion = project.services.contains { $0.dependsOn.contains { $0.service == service.name && $0.condition == .completedSuccessfully } }
                    if let failure = await coordinator.waitHealthy(service.name, client: client, completionCounts: needsCompletion) { return failure }
                }
                return nil
            }
            if let failure { throw RuntimeError([failure]) }
        }
        return report
    }

    struct ServiceOutcome: Sendable {
        var created: [String] = []
        var failure: Diagnostic?
        var done = 0
        var remaining = 0
    }

    private func bringUp(_ service: Service, steps: [DeploymentPlan.ContainerStep], plan: DeploymentPlan, project: ComposeProject,
                         options: UpOptions, coordinator: StartCoordinator) async -> ServiceOutcome {
        var outcome = ServiceOutcome()
        // Containers that are only created wait for nothing: their dependencies are not started either.
        for wait in options.start ? plan.waits[service.name] ?? [] : [] {
            switch await coordinator.waitFor(wait.service, condition: wait.condition, client: client) {
            case .ready:
                continue
            case .interrupted:
                outcome.remaining = steps.count
                await coordinator.finish(service.name, ids: [], failed: true, interrupted: true)
                return outcome
            case .failed(let problem):
                var d = Diagnostic.error("dependency-failed", "service '\(service.name)' was not started: its dependency '\(wait.service)' \(problem)", at: wait.location, service: service.name)
                d.related = [.init(location: project.service(named: wait.service)?.location, message: "'\(wait.service)' is defined here", service: wait.service)]
                outcome.failure = d
                outcome.remaining = steps.count
                await coordinator.finish(service.name, ids: [], failed: true)
                return outcome
            }
        }
        let image = Planner.imageReference(project: project, service: service)
        let imageID = plan.imageIDs[image]
        var ids: [String] = []
        var fresh: [String] = []
        for (index, step) in steps.enumerated() {
            if options.shouldStop() {
                outcome.remaining = steps.count - index
                await coordinator.finish(service.name, ids: ids, failed: true, interrupted: true)
                return outcome
            }
            await parallel.acquire()
            defer { Task { await parallel.release() } }
            do {
                // A container is recorded as soon as it exists, so that a failed start is rolled back too.
                let id = try await carryOut(step, service: service, plan: plan, project: project, image: image, imageID: imageID,
                                            start: options.start, stopTimeout: options.stopTimeout, coordinator: coordinator) { outcome.created.append($0) }
                if step.action == .create || step.action == .recreate { fresh.append(id) }
                ids.append(id)
                outcome.done += 1
            } catch {
                progress(.container, step.name, .failed, (error as? DockerError)?.message ?? (error as? RuntimeError)?.diagnostics.first?.message ?? "\(error)")
                outcome.failure = EngineErrorTranslator.translate(error, service: service, project: project, action: "starting")
                outcome.remaining = steps.count - index
                await coordinator.finish(service.name, ids: ids, failed: true)
                return outcome
            }
        }
        await coordinator.recordContainers(service.name, ids: ids)
        if options.start, service.networkMode == .host, !fresh.isEmpty, let failure = await checkHostNetworkStart(service, ids: fresh) {
            outcome.failure = failure
            await coordinator.finish(service.name, ids: ids, failed: true)
            return outcome
        }
        await coordinator.finish(service.name, ids: ids, failed: false)
        return outcome
    }

    /// One container step; returns the ID of the container that now stands for the replica.
    private func carryOut(_ step: DeploymentPlan.ContainerStep, service: Service, plan: DeploymentPlan, project: ComposeProject, image: String,
                          imageID: String?, start shouldStart: Bool, stopTimeout timeout: Int?, coordinator: StartCoordinator,
                          created: (String) -> Void) async throws -> String {
        let stopTimeout = timeout ?? service.stopGracePeriod.map { Int($0.components.seconds) }
        switch step.action {
        case .start where !shouldStart, .restart where !shouldStart, .unpause where !shouldStart:
            return step.containerID ?? ""
        case .keep:
            progress(.container, step.name, .running)
            return step.containerID ?? ""
        case .start:
            let id = step.containerID ?? ""
            progress(.container, step.name, .starting)
            try await start(id, name: step.name, service: service)
            progress(.container, step.name, .started)
            return id
        case .unpause:
            let id = step.containerID ?? ""
            progress(.container, step.name, .starting, "unpausing")
            try await client.unpauseContainer(id)
            progress(.container, step.name, .running)
            return id
        case .restart:
            let id = step.containerID ?? ""
            progress(.container, step.name, .restarting, "a dependency was recreated")
            try await stop(id, name: step.name, service: service, timeout: stopTimeout)
            try await start(id, name: step.name, service: service)
            progress(.container, step.name, .restarted)
            return id
        case .create, .recreate:
            let started = await coordinator.containersByService()
            let apiVersion = try? await client.negotiate().version
            let body = ContainerSpec.body(project: project, service: service, number: step.number, imageReference: image, imageID: imageID,
                                          inherited: step.inheritedVolumes, replacing: step.action == .recreate ? step.name : nil,
                                          apiVersion: apiVersion, hostPorts: step.hostPorts) {
                started[$0]?.first ?? plan.outsideParents[$0]
            }
            let id: String
            if step.action == .recreate, let old = step.containerID {
                // As Compose does: the replacement is created under a temporary name, then the old container goes and
                // the new one takes its name, so the replica is never without a container for long.
                progress(.container, step.name, .recreating, step.changed.joined(separator: ", "))
                let answer = try await client.createContainer(name: "\(old.prefix(12))_\(step.name)", body: body, platform: service.platform)
                id = answer.id
                engineWarnings.add(answer.warnings, service: service)
                created(id)
                try await client.stopContainer(old, timeout: stopTimeout)
                try await client.removeContainer(old, force: true)
                try await client.renameContainer(id, to: step.name)
            } else {
                progress(.container, step.name, .creating)
                let answer = try await client.createContainer(name: step.name, body: body, platform: service.platform)
                id = answer.id
                engineWarnings.add(answer.warnings, service: service)
                created(id)
                progress(.container, step.name, .created)
            }
            try await finishCreated(id, service: service, project: project, apiVersion: apiVersion)
            guard shouldStart else {
                if step.action == .recreate { progress(.container, step.name, .recreated) }
                return id
            }
            progress(.container, step.name, .starting)
            try await start(id, name: step.name, service: service)
            progress(.container, step.name, step.action == .recreate ? .recreated : .started)
            return id
        case .remove, .orphan, .stop, .kill, .pause, .run:
            return step.containerID ?? ""
        }
    }

    /// What a created container needs before it starts: its injected files, and its other networks (only one can be
    /// given at create on API 1.41); a one-off container of `run` joins them without the service's aliases unless
    /// asked (`aliases`).
    func finishCreated(_ id: String, service: Service, project: ComposeProject, apiVersion: String?, aliases: Bool = true) async throws {
        try await injectFiles(service, project: project, into: id)
        guard service.networkMode == nil else { return }
        for attachment in service.networksByPriority.dropFirst() {
            guard let network = project.network(named: attachment.name) else { continue }
            let endpoint = ContainerSpec.endpoint(attachment, service: service, project: project, apiVersion: apiVersion, aliases: aliases)
            try await client.connectNetwork(network.engineName, container: id, endpoint: endpoint)
        }
    }

    /// Writes the service's `environment`- and `content`-sourced secrets and configs into a created container before
    /// it starts, with their uid, gid and mode, as Compose's `injectSecrets`/`injectConfigs` do.
    func injectFiles(_ service: Service, project: ComposeProject, into id: String) async throws {
        let injected = FileMount.mounts(of: service, in: project).filter { $0.content != nil }
        guard !injected.isEmpty else { return }
        var tar = TarWriter()
        for mount in injected {
            tar.add(path: String(mount.target.drop { $0 == "/" }), kind: .file, mode: mount.mode, contents: Array((mount.content ?? "").utf8),
                    uid: mount.uid, gid: mount.gid)
        }
        try await client.putArchive(id, path: "/", tar: tar.finish(), copyOwnership: injected.contains { $0.uid != 0 || $0.gid != 0 })
    }

    /// A host-network container that cannot bind its port exits at once while the engine reports success; watch it
    /// for a moment and report its exit with its last log lines.
    private func checkHostNetworkStart(_ service: Service, ids: [String]) async -> Diagnostic? {
        let deadline = ContinuousClock.now + .milliseconds(1500)
        while ContinuousClock.now < deadline {
            for id in ids {
                guard let state = try? await client.inspectContainer(id).state, !state.running else { continue }
                let logs = (try? await client.logs(id, tail: "5")) ?? []
                var demultiplexer = DockerStreamDemultiplexer()
                let lines = demultiplexer.feed(logs).map { String(decoding: $0.1, as: UTF8.self) }.joined()
                    .split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
                let port = service.ports.first?.location ?? service.networkModeLocation ?? service.location
                return .error("host-network-exit", "service '\(service.name)' (host network) exited with code \(state.exitCode) right after it started\(lines.isEmpty ? "" : "; its last log lines:\n\(lines)")", at: port, service: service.name)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }
}
