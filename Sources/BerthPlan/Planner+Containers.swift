import BerthDiagnostics
import BerthSpec

/// Containers: which replicas to create, keep, start, restart, recreate or remove, and the orphans.
extension Planner.Context {
    /// Steps for every selected service, decided in start order so that a parent's decision is known before the
    /// services in its namespace or reading its volumes. Orphans come last.
    mutating func containerSteps(order: [String], recreatedVolumes: Set<String>) -> [DeploymentPlan.ContainerStep] {
        let mine = engine.containers(ofProject: project.name)
        var byService: [String: [DeploymentPlan.ContainerStep]] = [:]
        var removals: [DeploymentPlan.ContainerStep] = []
        for name in order {
            guard let service = services.first(where: { $0.name == name }) else { continue }
            let existing = mine.filter { $0.service == service.name }
            let (steps, removed) = replicaSteps(service, existing: existing, decided: byService, recreatedVolumes: recreatedVolumes)
            byService[service.name] = steps
            removals += removed
        }
        // Dependents with `depends_on.restart` follow a recreated dependency.
        let recreated = Set(byService.filter { $0.value.contains { $0.action == .recreate } }.keys)
        for service in services {
            guard service.dependsOn.contains(where: { $0.restart && recreated.contains($0.service) }) else { continue }
            for index in byService[service.name, default: []].indices where byService[service.name]?[index].action == .keep {
                byService[service.name]?[index].action = .restart
            }
        }
        var steps = services.flatMap { byService[$0.name] ?? [] } + removals
        steps += orphanSteps(mine)
        return steps
    }

    /// One service's replicas: surplus ones removed (obsolete first, then the highest numbers, as Compose does), the
    /// rest kept, started or recreated, and missing ones created with numbers after the highest in use.
    mutating func replicaSteps(_ service: Service, existing: [EngineSnapshot.Container], decided: [String: [DeploymentPlan.ContainerStep]],
                               recreatedVolumes: Set<String>) -> ([DeploymentPlan.ContainerStep], [DeploymentPlan.ContainerStep]) {
        let fingerprint = ServiceFingerprint(service, project: project)
        let strategy = strategy(for: service)
        var removed: [DeploymentPlan.ContainerStep] = []
        // A run killed in the middle of a recreate can leave two containers for one replica (the old one and its
        // replacement under a temporary name): the one with the replica's name stays, the other goes.
        var candidates: [EngineSnapshot.Container] = []
        for (number, group) in Dictionary(grouping: existing, by: { $0.number ?? 1 }) {
            let proper = Planner.containerName(project: project, service: service, number: number, separator: options.separator)
            let keeper = group.first { $0.name == proper } ?? group.max { $0.created < $1.created }
            for container in group where container.id != keeper?.id {
                removed.append(.init(service: service.name, name: container.name, number: number, action: .remove,
                                     changed: ["duplicate"], containerID: container.id))
            }
            if let keeper { candidates.append(keeper) }
        }
        let reasons = Dictionary(uniqueKeysWithValues: candidates.map {
            ($0.id, divergence($0, service: service, fingerprint: fingerprint, decided: decided, recreatedVolumes: recreatedVolumes))
        })
        // Up-to-date replicas by number, then obsolete ones: the first `desired` stay.
        let ordered = candidates.sorted { a, b in
            let staleA = !(reasons[a.id] ?? []).isEmpty, staleB = !(reasons[b.id] ?? []).isEmpty
            if staleA != staleB { return !staleA }
            if a.number != b.number { return (a.number ?? Int.max) < (b.number ?? Int.max) }
            return a.created < b.created
        }
        let desired = max(service.replicas, 0)
        var steps: [DeploymentPlan.ContainerStep] = []
        var surplus: [DeploymentPlan.ContainerStep] = []
        for (index, container) in ordered.enumerated() {
            let number = container.number ?? 1
            if index >= desired {
                surplus.append(.init(service: service.name, name: container.name, number: number, action: .remove,
                                     changed: ["scale"], containerID: container.id))
                continue
            }
            let found = reasons[container.id] ?? []
            // What no option can keep: a container that must make way for its volume, or that cannot run again.
            let unavoidable = found.filter { $0.hasPrefix("volume:") || $0 == "name" || $0 == "state" }
            var changed: [String]
            switch strategy {
            case .never: changed = unavoidable
            case .force: changed = found.isEmpty ? ["forced"] : found
            case .changed: changed = found
            }
            if changed.isEmpty {
                let action: DeploymentPlan.ContainerAction = container.isRunning ? .keep : container.state == "paused" ? .unpause : .start
                steps.append(.init(service: service.name, name: container.name, number: number, action: action, containerID: container.id))
            } else {
                steps.append(.init(service: service.name, name: Planner.containerName(project: project, service: service, number: number, separator: options.separator),
                                   number: number, action: .recreate, changed: changed, containerID: container.id,
                                   inheritedVolumes: options.renewAnonVolumes ? [] : anonymousVolumes(of: container, service: service)))
            }
        }
        // Obsolete replicas go first, then the highest numbers.
        removed += surplus.reversed()
        var next = (existing.compactMap(\.number).max() ?? 0) + 1
        while steps.count < desired {
            steps.append(.init(service: service.name, name: Planner.containerName(project: project, service: service, number: next, separator: options.separator),
                               number: next, action: .create))
            next += 1
        }
        steps.sort { $0.number < $1.number }
        return (steps, removed)
    }

    /// How changes are treated for this service: named services follow `--force-recreate`/`--no-recreate`/`-V`;
    /// dependencies that came along follow `--always-recreate-deps` (and `--no-recreate`), as in Compose.
    func strategy(for service: Service) -> PlanOptions.Recreate {
        if targets.contains(service.name) { return options.recreate }
        if options.recreate == .never { return .never }
        return options.alwaysRecreateDeps ? .force : .changed
    }

    /// Why an existing container no longer matches its service; empty when it does.
    func divergence(_ container: EngineSnapshot.Container, service: Service, fingerprint: ServiceFingerprint,
                    decided: [String: [DeploymentPlan.ContainerStep]], recreatedVolumes: Set<String>) -> [String] {
        var reasons: [String] = []
        // `dead` and `removing` containers cannot be started again.
        if container.state == "dead" || container.state == "removing" { reasons.append("state") }
        if let number = container.number, container.name != Planner.containerName(project: project, service: service, number: number, separator: options.separator) {
            reasons.append("name")
        }
        if container.configHash != fingerprint.hash {
            let fields = container.config.map { ServiceFingerprint.changedFields(from: $0, to: fingerprint.canonical) } ?? []
            reasons += fields.isEmpty ? ["config"] : fields
        }
        if let recorded = container.imageID, recorded.hasPrefix("sha256:"), let current = engine.images[imageReference(service)]?.id,
           current != recorded, !reasons.contains("image") {
            reasons.append("image")
        }
        if service.networkMode == nil {
            let expected = service.networks.compactMap { project.network(named: $0.name)?.engineName }
            if expected.contains(where: { !container.networks.contains($0) }), !reasons.contains("networks") { reasons.append("networks") }
        }
        /// A parent that gets a new container, or whose container is not the one this container joined.
        func parentChanged(_ parent: String) -> Bool {
            guard let first = decided[parent]?.first else { return false }
            if first.action == .create || first.action == .recreate { return true }
            return false
        }
        if case .service(let parent) = service.networkMode {
            let joined = container.networkMode.hasPrefix("container:") ? String(container.networkMode.dropFirst(10)) : nil
            let current = decided[parent]?.first?.containerID
            if parentChanged(parent) || (joined != nil && current != nil && joined != current) {
                if !reasons.contains("network_mode") { reasons.append("network_mode") }
            }
        }
        for source in service.volumesFrom {
            let parts = source.split(separator: ":").map(String.init)
            let parent = parts.first == "service" && parts.count > 1 ? parts[1] : parts.first ?? source
            if parts.first != "container", parentChanged(parent) {
                reasons.append("volumes_from")
                break
            }
        }
        for mount in service.volumes where mount.type == .volume {
            if let source = mount.source, recreatedVolumes.contains(source) { reasons.append("volume:\(source)") }
        }
        return reasons
    }

    /// The anonymous volumes a replacement takes over: those mounted where the image declares a volume or where the
    /// service mounts a volume without a name (as Compose's `inherit` does).
    func anonymousVolumes(of container: EngineSnapshot.Container, service: Service) -> [EngineSnapshot.VolumeMount] {
        var anonymousTargets = Set(engine.images[imageReference(service)]?.volumes ?? [])
        for mount in service.volumes where mount.type == .volume && mount.source == nil { anonymousTargets.insert(mount.target) }
        return container.volumes.filter { anonymousTargets.contains($0.destination) }
    }

    /// Containers of services that are in no file: removed with `--remove-orphans`, otherwise left with Compose's warning.
    mutating func orphanSteps(_ mine: [EngineSnapshot.Container]) -> [DeploymentPlan.ContainerStep] {
        let known = Set(project.services.map(\.name) + project.disabledServices.map(\.name))
        let orphans = mine.filter { !known.contains($0.service ?? "") }.sorted { $0.name < $1.name }
        if orphans.isEmpty { return [] }
        if !options.removeOrphans {
            diagnostics.append(.warning("orphan-containers", "Found orphan containers ([\(orphans.map(\.name).joined(separator: " "))]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.", at: nil))
        }
        return orphans.map {
            .init(service: $0.service ?? "?", name: $0.name, number: $0.number ?? 1, action: options.removeOrphans ? .remove : .orphan,
                  containerID: $0.id)
        }
    }
}
