import BerthGraph
import BerthSpec

/// What `up` would do to the engine, worked out without doing it.
public struct DeploymentPlan: Sendable {
    public enum ContainerAction: String, Sendable, Hashable {
        case create, keep, start, recreate
        /// Kept, but restarted because a dependency with `restart: true` is recreated.
        case restart
        /// A container of a service that is no longer in the files (kept unless `--remove-orphans`).
        case orphan
    }

    public struct ContainerStep: Sendable, Hashable {
        public var service: String
        public var name: String
        public var action: ContainerAction
        /// For `recreate`: the top-level fields of the service that changed (empty when unknown).
        public var changedFields: [String]
    }

    public var project: String
    public var networksToCreate: [String]
    public var volumesToCreate: [String]
    public var containers: [ContainerStep]
    /// Services grouped by start level: each level starts once the previous one meets its conditions.
    public var startOrder: [[String]]
    /// False when no engine could be reached and the plan assumes an empty one.
    public var engineReachable: Bool

    public var hasChanges: Bool {
        !networksToCreate.isEmpty || !volumesToCreate.isEmpty || containers.contains { $0.action != .keep && $0.action != .orphan }
    }

    public static func make(project: ComposeProject, graph: ServiceGraph, engine: EngineSnapshot) -> DeploymentPlan {
        let usedNetworks = Set(project.services.flatMap { $0.networkMode == nil ? $0.networks.map(\.name) : [] })
        let existingNetworks = Set(engine.networks.map(\.name))
        let networks = project.networks.filter { usedNetworks.contains($0.name) && !$0.external && !existingNetworks.contains($0.engineName) }
        let usedVolumes = Set(project.services.flatMap { $0.volumes.compactMap { $0.type == .volume ? $0.source : nil } })
        let volumes = project.volumes.filter { usedVolumes.contains($0.name) && !$0.external && !engine.volumes.contains($0.engineName) }

        let mine = engine.containers.filter { $0.project == project.name }
        var steps: [ContainerStep] = []
        for service in project.services {
            let fingerprint = ServiceFingerprint(service)
            for number in 1...max(service.replicas, 1) {
                let name = service.containerName ?? "\(project.name)-\(service.name)-\(number)"
                guard let current = mine.first(where: { $0.service == service.name && ($0.number ?? 1) == number }) else {
                    steps.append(ContainerStep(service: service.name, name: name, action: .create, changedFields: []))
                    continue
                }
                if current.configHash == fingerprint.hash {
                    steps.append(ContainerStep(service: service.name, name: name, action: current.state == "running" ? .keep : .start, changedFields: []))
                } else {
                    let changed = current.config.map { ServiceFingerprint.changedFields(from: $0, to: fingerprint.canonical) } ?? []
                    steps.append(ContainerStep(service: service.name, name: name, action: .recreate, changedFields: changed))
                }
            }
        }
        // Dependents with `depends_on.restart` follow a recreated dependency.
        let recreated = Set(steps.filter { $0.action == .recreate }.map(\.service))
        for index in steps.indices where steps[index].action == .keep {
            let service = project.service(named: steps[index].service)
            if service?.dependsOn.contains(where: { $0.restart && recreated.contains($0.service) }) == true { steps[index].action = .restart }
        }
        let known = Set(project.services.map(\.name) + project.disabledServices.map(\.name))
        for container in mine where !known.contains(container.service ?? "") {
            steps.append(ContainerStep(service: container.service ?? "?", name: container.name, action: .orphan, changedFields: []))
        }
        return DeploymentPlan(project: project.name, networksToCreate: networks.map(\.engineName), volumesToCreate: volumes.map(\.engineName),
                              containers: steps, startOrder: graph.levels(), engineReachable: engine.reachable)
    }
}
