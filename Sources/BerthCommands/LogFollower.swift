import BerthPlan
import DockerEngine
import Foundation

/// Prints the project's container logs with a coloured `web-1  | ` prefix (the container's name without the project,
/// as Compose writes it), following them as they are written.
struct LogFollower {
    let client: DockerClient
    let project: String
    /// The services to follow; all when empty, unless `followsNone`.
    let services: [String]
    var followsNone = false
    let useColor: Bool
    /// `--index`: only this replica.
    var index: Int?
    var prefixed = true

    static let colors = ["36", "33", "32", "35", "34", "91", "92", "93", "94", "95"]

    /// Prints the logs; with `signals`, following ends at the first interrupt.
    func follow(tail: String, follow: Bool = true, until signals: InterruptSignals? = nil) async {
        await self.follow(LogOptions(tail: tail, follow: follow), until: signals)
    }

    /// The name a container's lines are prefixed with: `web-1` for `<project>-web-1`, a custom name as it is.
    func source(_ container: ContainerSummary) -> String { Self.source(container.name, project: project) }

    static func source(_ name: String, project: String) -> String {
        name.hasPrefix(project + "-") ? String(name.dropFirst(project.count + 1)) : name
    }

    func follow(_ options: LogOptions, until signals: InterruptSignals? = nil) async {
        let filter = ["label": ComposeLabels.madeFor(project)]
        guard var containers = try? await client.listContainers(all: true, filters: filter) else { return }
        containers = followsNone ? [] : containers.filter {
            (services.isEmpty || services.contains($0.labels[ComposeLabels.service] ?? "")) && $0.labels[ComposeLabels.oneoff] != "True"
                && (index == nil || $0.labels[ComposeLabels.number] == index.map(String.init))
        }
        containers.sort { $0.name < $1.name }
        let width = (containers.map { source($0).count }.max() ?? 0) + 1
        let useColor = self.useColor
        await withTaskGroup(of: Bool.self) { group in
            for (index, container) in containers.enumerated() {
                let padded = source(container).padding(toLength: width, withPad: " ", startingAt: 0)
                let prefix = !prefixed ? "" : useColor ? "\u{1B}[\(Self.colors[index % Self.colors.count])m\(padded) |\u{1B}[0m " : "\(padded) | "
                let tty = (try? await client.inspectContainer(container.id).tty) ?? false
                let chunks = client.logStream(container.id, options)
                let name = container.name
                group.addTask {
                    var demultiplexer = DockerStreamDemultiplexer()
                    var pending = ""
                    do {
                        for try await chunk in chunks {
                            let text = tty ? String(decoding: chunk, as: UTF8.self) : demultiplexer.feed(chunk).map { String(decoding: $0.1, as: UTF8.self) }.joined()
                            pending += text.replacingOccurrences(of: "\r\n", with: "\n")
                            while let newline = pending.firstIndex(of: "\n") {
                                Console.out(prefix + pending[..<newline] + "\n")
                                pending = String(pending[pending.index(after: newline)...])
                            }
                        }
                    } catch let error as DockerError {
                        // A log driver that cannot be read back (none, syslog, ...) is said so, per container.
                        Console.error("berth: cannot read the log of \(name): \(error.message)\n")
                    } catch {}
                    if !pending.isEmpty { Console.out(prefix + pending + "\n") }
                    return false
                }
            }
            if let signals {
                // Follow until the first interrupt, or until every container's log has ended.
                group.addTask { await signals.wait(forSignal: 1) }
                var ended = 0
                for await interrupted in group {
                    if interrupted { break }
                    ended += 1
                    if ended == containers.count { break }
                }
                group.cancelAll()
            }
        }
    }
}
