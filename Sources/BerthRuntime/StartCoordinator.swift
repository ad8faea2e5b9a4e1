import BerthDiagnostics
import BerthSpec
import DockerEngine
import Foundation

/// Lets each service's start task wait for the services it depends on, and for their conditions.
actor StartCoordinator {
    private struct State {
        var ids: [String] = []
        var failed = false
        var interrupted = false
        var finished = false
    }

    /// Whether a dependency is met.
    enum Readiness: Equatable {
        case ready
        case failed(String)
        /// The run was interrupted before the dependency started.
        case interrupted
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

    func finish(_ service: String, ids: [String], failed: Bool, interrupted: Bool = false) {
        states[service, default: State()].ids = ids
        states[service]?.failed = failed
        states[service]?.interrupted = interrupted
        states[service]?.finished = true
        for waiter in waiters.removeValue(forKey: service) ?? [] { waiter.resume() }
    }

    private func finished(_ service: String) async -> State {
        if let state = states[service], state.finished { return state }
        await withCheckedContinuation { waiters[service, default: []].append($0) }
        return states[service] ?? State()
    }

    /// Waits until `service` meets `condition`.
    func waitFor(_ service: String, condition: DependencyCondition, client: DockerClient) async -> Readiness {
        let state = await finished(service)
        if state.interrupted { return .interrupted }
        if state.failed { return .failed("failed to start") }
        switch condition {
        case .started:
            return .ready
        case .healthy:
            for id in state.ids {
                if let problem = await Self.waitHealthy(id, client: client) { return .failed(problem) }
            }
            return .ready
        case .completedSuccessfully:
            for id in state.ids {
                do {
                    let code = try await client.waitContainer(id)
                    if code != 0 { return .failed("exited with code \(code) (service_completed_successfully needs 0)") }
                } catch {
                    return .failed("could not be waited for: \(error)")
                }
            }
            return .ready
        }
    }

    /// Waits for the engine to report the container healthy, reacting to its `health_status` and `die` events rather
    /// than polling. Events are replayed from shortly before the first inspect, so a change in between is not missed.
    static func waitHealthy(_ id: String, client: DockerClient) async -> String? {
        let since = Int(Date().timeIntervalSince1970) - 2
        switch await currentHealth(id, client: client) {
        case .healthy: return nil
        case .failed(let problem): return problem
        case .pending: break
        }
        let events = client.events(since: since, filters: ["type": ["container"], "container": [id], "event": ["health_status", "die"]])
        // Events of the container's previous run (a stop just before a start) are not about this one.
        let startedAt = (try? await client.inspectContainer(id).state.startedAt).flatMap(ImageDetails.seconds) ?? 0
        do {
            for try await event in events where event.actorID == id && Double(event.timeNano) / 1e9 >= startedAt {
                switch event.action {
                case "health_status: healthy": return nil
                case "health_status: unhealthy": return "is unhealthy"
                case "die": return "exited with code \(event.attributes["exitCode"] ?? "?") before it became healthy"
                default: continue
                }
            }
        } catch {
            return "could not be watched: \(error)"
        }
        return "was not reported healthy"
    }

    private enum HealthNow {
        case healthy, pending
        case failed(String)
    }

    /// The container's health now: whether it already settles the wait.
    private static func currentHealth(_ id: String, client: DockerClient) async -> HealthNow {
        guard let state = try? await client.inspectContainer(id).state else { return .failed("disappeared") }
        if !state.running, !state.restarting {
            return .failed("exited with code \(state.exitCode) before it became healthy")
        }
        switch state.health {
        case "healthy": return .healthy
        case "unhealthy": return .failed("is unhealthy")
        case nil: return .failed("has no healthcheck (service_healthy needs one)")
        default: return .pending
        }
    }

    /// For `up --wait`: running and healthy (if it has a healthcheck), or exited 0 when others wait for its completion.
    func waitHealthy(_ service: String, client: DockerClient, completionCounts: Bool) async -> Diagnostic? {
        for id in await finished(service).ids {
            if let failure = await Self.waitRunning(id, client: client, completionCounts: completionCounts) {
                return .error(failure.code, "service '\(service)' \(failure.problem)", at: nil, service: service)
            }
        }
        return nil
    }

    /// One container for `--wait` (`up`, `start`): running, and healthy when it has a healthcheck; or exited 0 when
    /// its completion counts. The problem and its code otherwise.
    static func waitRunning(_ id: String, client: DockerClient, completionCounts: Bool = false) async -> (code: String, problem: String)? {
        guard let inspected = try? await client.inspectContainer(id).state else { return nil }
        if !inspected.running {
            if completionCounts, inspected.exitCode == 0 { return nil }
            return ("service-not-running", "exited with code \(inspected.exitCode)")
        }
        if inspected.health != nil, let problem = await waitHealthy(id, client: client) { return ("service-unhealthy", problem) }
        return nil
    }
}
