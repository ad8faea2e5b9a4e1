import DockerEngine
import Foundation

/// Interrupts (SIGINT, SIGTERM) passed on to a container while Berth is attached to it without a TTY, as the docker
/// CLI's signal proxy does; the container decides what they mean.
final class SignalForwarding: Sendable {
    private let task: Task<Void, Never>

    init(client: DockerClient, container: String) {
        let signals = InterruptSignals()
        task = Task {
            var count = 0
            while await signals.wait(forSignal: count + 1) {
                count += 1
                try? await client.killContainer(container, signal: signals.first == SIGTERM ? "SIGTERM" : "SIGINT")
            }
        }
    }

    func stop() {
        task.cancel()
    }
}
