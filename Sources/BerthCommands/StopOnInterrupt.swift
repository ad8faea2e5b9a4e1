import BerthPlan
import BerthRuntime
import DockerEngine
import Foundation

/// Counts SIGINT and SIGTERM, and lets tasks wait for the n-th one. Waiting can be cancelled without losing later
/// signals (unlike an AsyncStream, which ends when its consumer is cancelled).
final class InterruptSignals: @unchecked Sendable {
    // `received`, `firstSignal` and `waiters` are guarded by `lock`; the sources live as long as this object.
    private var received = 0
    private var firstSignal: Int32?
    private var waiters: [UUID: (threshold: Int, continuation: CheckedContinuation<Bool, Never>)] = [:]
    private let lock = NSLock()
    private var sources: [DispatchSourceSignal] = []

    init() {
        let queue = DispatchQueue(label: "berth.signals")
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in self?.receive(number) }
            source.resume()
            return source
        }
    }

    /// How many interrupts have arrived.
    var count: Int { lock.withLock { received } }

    /// The first signal that arrived (SIGINT or SIGTERM), if any.
    var first: Int32? { lock.withLock { firstSignal } }

    /// The exit code of a command a signal ended, as Compose gives it: 143 for SIGTERM, 130 for Ctrl-C.
    var exitCode: Int32 { first == SIGTERM ? 143 : 130 }

    /// Counts as an interrupt from Berth itself (`up --abort-on-container-exit` stops the stack this way).
    func raise() {
        receive(0)
    }

    private func receive(_ number: Int32) {
        let ready: [CheckedContinuation<Bool, Never>] = lock.withLock {
            received += 1
            if firstSignal == nil { firstSignal = number }
            let due = waiters.filter { $0.value.threshold <= received }
            for key in due.keys { waiters.removeValue(forKey: key) }
            return due.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume(returning: true) }
    }

    /// Waits until `number` signals have arrived in all; false when the waiting task is cancelled first.
    func wait(forSignal number: Int) async -> Bool {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = lock.withLock {
                    if received >= number { return true }
                    if Task.isCancelled { return false }
                    waiters[id] = (number, continuation)
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = lock.withLock { waiters.removeValue(forKey: id) }
            waiter?.continuation.resume(returning: false)
        }
    }
}

/// Ctrl-C handling for attached `up`, as in Compose: the first interrupt stops the stack gracefully (each service's
/// stop signal and grace period); a second one kills what is still running.
enum StopOnInterrupt {
    static func stopProject(client: DockerClient, project: String, timeouts: [String: Int], signals: InterruptSignals,
                            progress: ProgressReporter) async {
        // Stopping changes the stack: it waits for another berth command on the project to finish first.
        let lock = try? await Executor(client: client).lock(project)
        defer { lock?.release() }
        enum Outcome { case stopped, forced }
        let outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                await stop(client: client, project: project, progress: progress) { timeouts[$0] ?? 10 }
                return .stopped
            }
            group.addTask {
                // A second interrupt forces; if the graceful stop ends first, this wait is cancelled.
                guard await signals.wait(forSignal: 2) else { return .stopped }
                return .forced
            }
            let first = await group.next() ?? .stopped
            group.cancelAll()
            return first
        }
        if outcome == .forced {
            progress.emit(.message(.note, "Killing..."))
            await stop(client: client, project: project, progress: progress) { _ in 0 }
        }
    }

    private static func stop(client: DockerClient, project: String, progress: ProgressReporter, timeout: @escaping @Sendable (String) -> Int) async {
        let filter = ["label": ComposeLabels.madeFor(project)]
        guard let containers = try? await client.listContainers(all: false, filters: filter) else { return }
        await withTaskGroup(of: Void.self) { group in
            for container in containers {
                let service = container.labels[ComposeLabels.service] ?? ""
                group.addTask {
                    progress.emit(.resource(.container, container.name, .stopping))
                    try? await client.stopContainer(container.id, timeout: timeout(service))
                    progress.emit(.resource(.container, container.name, .stopped))
                }
            }
        }
    }
}
