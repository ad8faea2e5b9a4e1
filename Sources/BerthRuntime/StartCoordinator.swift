import BerthDiagnostics
import BerthSpec
import DockerEngine
import Foundation

/// Lets each service's start task wait for the services it depends on, and for their conditions.
actor StartCoordinator {
    private struct State {
        var ids: [String] = []
        var failed = false
        var finished = false
    }

    private var states: [String: State] = [:]
    /// Services whose containers this run created anew (so that `depends_on.restart` dependents restart).
    private var recreated: Set<String> = []

    func markRecreated(_ service: String) {
        recreated.insert(service)
    }

    func wasRecreated(_ service: String) -> Bool {
        recreated.contains(service)
    }
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

    /// Waits for the engine to report the container healthy, reacting to its `health_status` and `die` events rather
    /// than polling. Events are replayed from shortly before the first inspect, so a change in between is not missed.
    static func waitHealthy(_ id: String, client: DockerClient) async -> String? {
        let since = Int(Date().timeIntervalSince1970) - 2
        switch await currentHealth(id, client: client) {
        case .healthy: return nil
        case .failed(let problem): return problem
        case .pending: break
        }
        struct Done: Error {
            var problem: String?
        }
        let filters = DockerClient.filters(["type": ["container"], "container": [id], "event": ["health_status", "die"]])
        var pending = Data()
        do {
            try await client.stream(.GET, "/events", query: [("since", String(since)), ("filters", filters)]) { chunk in
                pending.append(contentsOf: chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = Data(pending[pending.startIndex..<newline])
                    pending = Data(pending[pending.index(after: newline)...])
                    guard let event = try? JSONValue.parse(line), event["Actor"]?["ID"]?.string == id,
                          let action = event["Action"]?.string else { continue }
                    switch action {
                    case "health_status: healthy": throw Done(problem: nil)
                    case "health_status: unhealthy": throw Done(problem: "is unhealthy")
                    case "die":
                        throw Done(problem: "exited with code \(event["Actor"]?["Attributes"]?["exitCode"]?.string ?? "?") before it became healthy")
                    default: continue
                    }
                }
            }
        } catch let done as Done {
            return done.problem
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
        guard let state = try? await client.inspectContainer(id)["State"] else { return .failed("disappeared") }
        if state["Running"]?.bool == false, state["Restarting"]?.bool != true {
            return .failed("exited with code \(state["ExitCode"]?.int ?? -1) before it became healthy")
        }
        switch state["Health"]?["Status"]?.string {
        case "healthy": return .healthy
        case "unhealthy": return .failed("is unhealthy")
        case nil: return .failed("has no healthcheck (service_healthy needs one)")
        default: return .pending
        }
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
