import BerthRuntime
import DockerEngine
import Foundation

/// Ctrl-C handling for attached `up`: the first interrupt ends log following and stops the stack gracefully; a second
/// one kills the process at once.
enum StopOnInterrupt {
    static func stopProject(client: DockerClient, project: String, timeouts: [String: Int]) async {
        let filter = ["label": ["\(ComposeLabels.project)=\(project)"]]
        guard let containers = try? await client.listContainers(all: false, filters: filter) else { return }
        await withTaskGroup(of: Void.self) { group in
            for container in containers {
                let id = container["Id"]?.string ?? ""
                let service = container["Labels"]?[ComposeLabels.service]?.string ?? ""
                group.addTask {
                    try? await client.stopContainer(id, timeout: timeouts[service] ?? 10)
                    FileHandle.standardError.write(Data("Container \(String((container["Names"]?.array?.first?.string ?? "").dropFirst()))  Stopped\n".utf8))
                }
            }
        }
    }
}

/// Waits for SIGINT/SIGTERM as an async event.
final class InterruptSignal: @unchecked Sendable {
    // Touched only on the signal queue.
    private var sources: [DispatchSourceSignal] = []
    private var count = 0
    private let queue = DispatchQueue(label: "berth.signals")

    func wait(onFirst: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.sync {
                for number in [SIGINT, SIGTERM] {
                    signal(number, SIG_IGN)
                    let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                    source.setEventHandler { [self] in
                        count += 1
                        if count == 1 {
                            onFirst()
                            continuation.resume()
                        } else {
                            exit(130)
                        }
                    }
                    source.resume()
                    sources.append(source)
                }
            }
        }
    }
}
