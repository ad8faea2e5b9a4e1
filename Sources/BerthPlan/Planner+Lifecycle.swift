import BerthDiagnostics
import BerthGraph
import BerthSpec

/// `start`, `stop`, `restart`, `kill`, `pause`, `unpause` and `rm`: which of the project's existing containers each
/// command acts on, in which order. Nothing is created; `rm` removes only containers that are not running. Starting goes in dependency order, stopping in reverse, as
/// Compose does.
extension Planner {
    /// `dependents`: `restart` also restarts the services that depend on a named one with `restart: true` (unless
    /// `--no-deps`), as Compose does; `orphans`: `kill --remove-orphans` also kills containers of services no longer
    /// in the files.
    public static func lifecycle(_ action: DeploymentPlan.ContainerAction, project: ComposeProject, services named: [String],
                                 engine: EngineSnapshot, dependents: Bool = false, orphans: Bool = false) -> DeploymentPlan {
        let (graph, _) = ServiceGraph.build(project)
        let order = graph.levels().flatMap { $0 }
        var wanted = Set(named)
        if dependents && !named.isEmpty {
            var grew = true
            while grew {
                grew = false
                for service in project.services where !wanted.contains(service.name)
                    && service.dependsOn.contains(where: { $0.restart && wanted.contains($0.service) }) {
                    wanted.insert(service.name)
                    grew = true
                }
            }
        }
        let selected = named.isEmpty ? order : order.filter(wanted.contains)
        let sequence = [.stop, .kill, .pause, .remove].contains(action) ? selected.reversed() : selected
        let mine = engine.containers(ofProject: project.name)
        var steps: [DeploymentPlan.ContainerStep] = []
        var diagnostics: [Diagnostic] = []
        for name in sequence {
            let containers = mine.filter { $0.service == name && !$0.oneoff }.sorted { ($0.number ?? 0) < ($1.number ?? 0) }
            if containers.isEmpty, !named.isEmpty, action != .remove {
                let location = project.service(named: name)?.location
                diagnostics.append(.warning("service-not-running", "service '\(name)' has no container to \(action.rawValue) (run 'berth up' first)", at: location, service: name))
            }
            for container in containers {
                let applies: Bool = switch action {
                case .stop, .kill: container.isRunning || container.state == "paused"
                case .start: !container.isRunning && container.state != "paused"
                case .restart: true
                case .pause: container.isRunning
                case .unpause: container.state == "paused"
                case .remove: !container.isRunning && container.state != "paused" && container.state != "restarting"
                default: false
                }
                guard applies else { continue }
                steps.append(.init(service: name, name: container.name, number: container.number ?? 1, action: action, containerID: container.id))
            }
        }
        if orphans {
            let known = Set(project.services.map(\.name))
            for container in mine where !container.oneoff && !known.contains(container.service ?? "") && (container.isRunning || container.state == "paused") {
                steps.append(.init(service: container.service ?? "", name: container.name, number: container.number ?? 1, action: action, containerID: container.id))
            }
        }
        return DeploymentPlan(project: project.name, services: selected, networks: [], volumes: [], images: [], containers: steps,
                              startOrder: [selected], imageIDs: [:], outsideParents: [:], waits: [:], diagnostics: diagnostics, claims: [],
                              engineReachable: engine.reachable)
    }
}
