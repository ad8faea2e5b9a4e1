import BerthDiagnostics
import BerthGraph
import BerthSpec

/// Makes the plan: the one decision of what a command does to the engine. It is a pure function of its inputs (the
/// project, the options, the engine snapshot and the host snapshot) and reads nothing else, so `plan` shows exactly
/// what `up` then executes.
public enum Planner {
    public static func plan(project input: ComposeProject, options: PlanOptions, engine: EngineSnapshot, host: HostSnapshot) -> DeploymentPlan {
        var project = input
        for (name, replicas) in options.scale {
            if let index = project.services.firstIndex(where: { $0.name == name }) { project.services[index].replicas = replicas }
        }
        if let run = options.run, let index = project.services.firstIndex(where: { $0.name == run.service }) {
            project.services[index] = run.apply(to: project.services[index])
        }
        let (graph, graphDiagnostics) = ServiceGraph.build(project)
        var diagnostics = graphDiagnostics
        var claims: [PortClaim] = []
        if options.check {
            let checker = PreflightChecker(project: project, options: .init(host: host, engine: engine))
            let report = checker.run()
            diagnostics += report.diagnostics.filter { $0.severity == .error || !options.ignoredCodes.contains($0.code) }
            claims = report.claims
        }

        let targets = Set(options.run.map { [$0.service] } ?? (options.services.isEmpty ? project.services.map(\.name) : options.services))
        var selected = targets
        if !options.noDeps {
            var queue = Array(targets)
            while let next = queue.popLast() {
                for edge in graph.dependencies(of: next) where selected.insert(edge.to).inserted { queue.append(edge.to) }
            }
        }
        let services = project.services.filter { selected.contains($0.name) }
        var context = Context(project: project, options: options, engine: engine, services: services, targets: targets)

        let networks = context.networkSteps()
        let volumes = context.volumeSteps()
        let images = context.imageSteps()
        let startOrder = graph.levels().map { $0.filter(selected.contains) }.filter { !$0.isEmpty }
        // A run's own service has no replicas to bring up, only its one-off container.
        let replicated = startOrder.flatMap { $0 }.filter { $0 != options.run?.service }
        var containers = context.containerSteps(order: replicated, recreatedVolumes: Set(volumes.filter { $0.action == .recreate }.map(\.key)))
        if let run = options.run {
            containers.append(.init(service: run.service, name: run.containerName(project: project.name, separator: options.separator), number: 0, action: .run))
        }
        diagnostics += context.diagnostics
        if let sockets = host.sockets {
            let fixed = options.check ? claims : PreflightChecker(project: project, options: .init(engine: engine)).collectClaims().0
            diagnostics += PortAssigner(project: project, claims: fixed, sockets: sockets, engine: engine).assign(&containers)
        }
        var waits: [String: [DeploymentPlan.Wait]] = [:]
        for service in services {
            for edge in graph.dependencies(of: service.name) where selected.contains(edge.to) {
                let condition: DependencyCondition = if case .dependsOn(let condition, _) = edge.kind { condition } else { .started }
                waits[service.name, default: []].append(.init(service: edge.to, condition: condition, location: edge.location))
            }
        }
        var outsideParents: [String: String] = [:]
        for service in services {
            guard case .service(let parent) = service.networkMode, !selected.contains(parent) else { continue }
            let existing = engine.containers(ofProject: project.name).filter { $0.service == parent && $0.isRunning }
            if let first = existing.min(by: { ($0.number ?? 1) < ($1.number ?? 1) }) { outsideParents[parent] = first.id }
        }
        return DeploymentPlan(project: project.name, services: services.map(\.name), networks: networks, volumes: volumes, images: images,
                              containers: containers, startOrder: startOrder, imageIDs: engine.images.mapValues(\.id),
                              outsideParents: outsideParents, waits: waits, diagnostics: diagnostics, claims: claims,
                              engineReachable: engine.reachable)
    }

    /// The inputs of one planning run, and the diagnostics it finds.
    struct Context {
        let project: ComposeProject
        let options: PlanOptions
        let engine: EngineSnapshot
        let services: [Service]
        let targets: Set<String>
        var diagnostics: [Diagnostic] = []

        /// The image a service runs: its `image`, or `<project>-<service>` for a service that is only built.
        func imageReference(_ service: Service) -> String {
            Planner.imageReference(project: project, service: service)
        }
    }

    /// The image a service runs: its `image`, or `<project>-<service>` for a service that is only built.
    public static func imageReference(project: ComposeProject, service: Service) -> String {
        service.image ?? "\(project.name)-\(service.name)"
    }

    /// A replica's container name: `container_name`, or `<project>-<service>-<number>`.
    public static func containerName(project: ComposeProject, service: Service, number: Int, separator: String = "-") -> String {
        service.containerName ?? [project.name, service.name, String(number)].joined(separator: separator)
    }
}
