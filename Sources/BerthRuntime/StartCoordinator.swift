import BerthDiagnostics
import BerthSpec
import DockerEngine

/// Lets each service's start task wait for the services it depends on, and for their conditions.
actor StartCoordinator {
    private struct State {
        var ids: [String] = []
        var failed = false
        var finished = false
    }

    private var states: [String: State] = [:]
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    init(services: [String]) {
        for service in services { states[service] = State() }
    }

    func recordContainers(_ service: String, ids: [String]) {
        states[service, default: State()].ids = ids
    }

    func containersByService() -> [String: [String]] {
        states.mapValues(\.ids)
    }

    func finish(_ service: String, ids: [String], failed: Bool) {
        states[service, default: State()].ids = ids
        states[service]?.failed = failed
        states[service]?.finished = true
        for waiter in waiters.removeValue(forKey: service) ?? [] { waiter.resume() }
    }

    private func finished(_ service: String) async -> State {
        if let state = states[service], state.finished { return state }
        await withCheckedContinuation { waiters[service, default: []].append($0) }
        return states[service] ?? State()
    }

    /// Waits until `service` meets `condition`; returns why it cannot, or nil.
    func waitFor(_ service: String, condition: DependencyCondition, client: DockerClient) async -> String? {
        let state = await finished(service)
        if state.failed { return "failed to start" }
        switch condition {
        case .started:
            return nil
        case .healthy:
            for id in state.ids {
                if let problem = await Self.waitHealthy(id, client: client) { return problem }
            }
            return nil
        case .completedSuccessfully:
            for id in state.ids {
                do {
                    let code = try await client.waitContainer(id)
                    if code != 0 { return "exited with code \(code) (service_completed_successfully needs 0)" }
                } catch {
                    return "could not be waited for: \(error)"
                }
            }
            return nil
        }
    }

    /// Polls the engine's health status every 100 ms (the engine probes once per interval, so this adds at most 100 ms).
    static func waitHealthy(_ id: String, client: DockerClient) async -> String? {
        while !Task.isCancelled {
            guard let state = try? await client.inspectContainer(id)["State"] else { return "disappeared" }
            if state["Running"]?.bool == false, state["Restarting"]?.bool != true {
                return "exited with code \(state["ExitCode"]?.int ?? -1) before it became healthy"
            }
            switch state["Health"]?["Status"]?.string {
            case "healthy": return nil
            case "unhealthy": return "is unhealthy"
            case nil: return "has no healthcheck (service_healthy needs one)"
            default: break
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return "was cancelled"
    }

    /// For `up --wait`: running and healthy (if it has a healthcheck), or exited 0 when others wait for its completion.
    func waitHealthy(_ service: String, client: DockerClient, completionCounts: Bool) async -> Diagnostic? {
        let state = await finished(service)
        for id in state.ids {
            guard let inspected = try? await client.inspectContainer(id)["State"] else { continue }
            if inspected["Running"]?.bool == false {
                if completionCounts, inspected["ExitCode"]?.int == 0 { continue }
                return .error("service-not-running", "service '\(service)' exited with code \(inspected["ExitCode"]?.int ?? -1)", at: nil, service: service)
            }
            if inspected["Health"]?["Status"]?.string != nil, let problem = await Self.waitHealthy(id, client: client) {
                return .error("service-unhealthy", "service '\(service)' \(problem)", at: nil, service: service)
            }
        }
        return nil
    }
}
