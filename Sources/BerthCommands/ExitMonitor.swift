import BerthPlan
import DockerEngine
import Foundation

/// Attached `up`'s watch on the containers it follows: each exit is said (`web-1 exited with code 3`), and with
/// `--abort-on-container-exit`, `--abort-on-container-failure` or `--exit-code-from` the first one that counts stops
/// the stack, as Compose's monitor does (pkg/compose/monitor.go); `up` then exits with that container's code (or the
/// named service's).
///
/// Events are read from just before `up` began, so that an early exit is not missed, but only the containers `up`
/// left standing are watched (`watch(_:)`): a container stopped by a recreate, or a service not followed, never
/// counts; neither does a container its restart policy is bringing back.
actor ExitMonitor {
    enum Abort { case anyExit, failure }

    let client: DockerClient
    let project: String
    let since: Int
    let abort: Abort?
    let exitCodeFrom: String?
    let signals: InterruptSignals
    private(set) var aborted = false
    private var trigger: Int?
    private var codes: [String: Int] = [:]
    private var watched: [String: (name: String, service: String)]?
    private var pending: [EngineEvent] = []
    private var seen: Set<String> = []

    init(client: DockerClient, project: String, since: Int, abort: Abort?, exitCodeFrom: String?, signals: InterruptSignals) {
        self.client = client
        self.project = project
        self.since = since
        self.abort = abort
        self.exitCodeFrom = exitCodeFrom
        self.signals = signals
    }

    /// Reads the project's `die` events until cancelled.
    func listen() async {
        let filters = ["type": ["container"], "event": ["die"], "label": ComposeLabels.madeFor(project)]
        do {
            for try await event in client.events(since: since, filters: filters) {
                if watched == nil { pending.append(event) } else { await handle(event) }
            }
        } catch {}
    }

    /// The containers to watch (ID, name, service); events that came before are handled now.
    func watch(_ containers: [(id: String, name: String, service: String)]) async {
        watched = Dictionary(containers.map { ($0.id, ($0.name, $0.service)) }, uniquingKeysWith: { a, _ in a })
        let early = pending
        pending = []
        for event in early { await handle(event) }
    }

    private func handle(_ event: EngineEvent) async {
        guard let container = watched?[event.actorID] else { return }
        // The die of a container that is running again, or being restarted, is not an exit.
        if let state = try? await client.inspectContainer(event.actorID).state, state.running || state.restarting { return }
        record(event.actorID, name: container.name, service: container.service, code: Int(event.attributes["exitCode"] ?? "") ?? -1)
    }

    private func record(_ id: String, name: String, service: String, code: Int) {
        guard seen.insert(id).inserted else { return }
        Console.out("\(LogFollower.source(name, project: project)) exited with code \(code)\n")
        if codes[service] == nil { codes[service] = code }
        guard !aborted, let abort, abort == .anyExit || code != 0 else { return }
        aborted = true
        trigger = code
        signals.raise()
    }

    /// Once the logs have ended: an exit whose event has not arrived yet is read from the container itself (the
    /// engine closes a log before it sends the `die`), in the order the containers finished.
    func reconcile() async {
        guard let watched else { return }
        var finished: [(String, String, ContainerDetails.State)] = []
        for (id, _) in watched where !seen.contains(id) {
            if let state = try? await client.inspectContainer(id).state, !state.running, !state.restarting { finished.append((id, state.finishedAt, state)) }
        }
        for (id, _, state) in finished.sorted(by: { $0.1 < $1.1 }) {
            guard let container = watched[id] else { continue }
            record(id, name: container.name, service: container.service, code: state.exitCode)
        }
    }

    /// The exit code `up` ends with: the named service's first exit, or the container's that stopped the stack; nil
    /// when nothing aborted.
    func exitCode() async -> Int? {
        if let exitCodeFrom {
            if let code = codes[exitCodeFrom] { return code }
            let filter = ["label": ComposeLabels.madeFor(project) + ["\(ComposeLabels.service)=\(exitCodeFrom)"]]
            if let container = try? await client.listContainers(all: true, filters: filter).first,
               let details = try? await client.inspectContainer(container.id) { return details.state.exitCode }
            return trigger
        }
        return aborted ? trigger : nil
    }
}
