import BerthPlan
import DockerEngine
import Foundation

/// Attached `up`'s watch on the project's containers: each exit is said (`web-1 exited with code 3`), and with
/// `--abort-on-container-exit`, `--abort-on-container-failure` or `--exit-code-from` the first one that counts stops
/// the stack, as Compose's monitor does; `up` then exits with that container's code (or the named service's).
actor ExitMonitor {
    enum Abort { case anyExit, failure }

    let client: DockerClient
    let project: String
    /// Events from this time on (Unix seconds), so that an exit before the watch began is seen too.
    let since: Int
    let abort: Abort?
    let exitCodeFrom: String?
    let signals: InterruptSignals
    private(set) var aborted = false
    private var trigger: Int?
    private var codes: [String: Int] = [:]

    init(client: DockerClient, project: String, since: Int, abort: Abort?, exitCodeFrom: String?, signals: InterruptSignals) {
        self.client = client
        self.project = project
        self.since = since
        self.abort = abort
        self.exitCodeFrom = exitCodeFrom
        self.signals = signals
    }

    func watch() async {
        let filters = ["type": ["container"], "event": ["die"], "label": ["\(ComposeLabels.project)=\(project)"]]
        do {
            for try await event in client.events(since: since, filters: filters) {
                guard event.attributes[ComposeLabels.oneoff] != "True" else { continue }
                let code = Int(event.attributes["exitCode"] ?? "") ?? -1
                let name = event.attributes["name"] ?? event.actorID
                let service = event.attributes[ComposeLabels.service] ?? ""
                let source = name.hasPrefix(project + "-") ? String(name.dropFirst(project.count + 1)) : name
                FileHandle.standardOutput.write(Data("\(source) exited with code \(code)\n".utf8))
                if codes[service] == nil { codes[service] = code }
                guard !aborted, let abort, abort == .anyExit || code != 0 else { continue }
                aborted = true
                trigger = code
                signals.raise()
            }
        } catch {}
    }

    /// The exit code `up` ends with: the named service's first exit, or the container's that stopped the stack; nil
    /// when nothing aborted.
    func exitCode() async -> Int? {
        if let exitCodeFrom {
            if let code = codes[exitCodeFrom] { return code }
            let filter = ["label": ["\(ComposeLabels.project)=\(project)", "\(ComposeLabels.service)=\(exitCodeFrom)"]]
            if let container = try? await client.listContainers(all: true, filters: filter).first,
               let details = try? await client.inspectContainer(container.id) { return details.state.exitCode }
            return trigger
        }
        return aborted ? trigger : nil
    }
}
