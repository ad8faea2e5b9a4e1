import BerthDiagnostics
import BerthPlan
import BerthSpec
import DockerEngine

/// `down`: everything labelled with the project goes; volumes only when asked.
extension Executor {
    /// Stops and removes the project's containers and networks, found by label, under the project lock; with
    /// `removeVolumes`, also the project's named volumes and the anonymous volumes of its containers, as Compose does.
    /// Collects errors so that one failure does not leave the rest running.
    public func down(projectName: String, stopTimeouts: [String: Int] = [:], services: [String: Service] = [:], options: DownOptions = DownOptions(),
                     onLockWait: @Sendable () -> Void = {}) async throws(RuntimeError) {
        let lock = try await self.lock(projectName, onWait: onLockWait)
        defer { lock.release() }
        var failures: [Diagnostic] = []
        let filter = ["label": ["\(ComposeLabels.project)=\(projectName)"]]
        let containers = try await engineCall({ try await client.listContainers(all: true, filters: filter) },
                                              { .error("engine-error", "cannot list the project's containers: \($0)", at: nil) })
        let steps = containers.map { container in
            DeploymentPlan.ContainerStep(service: container.labels[ComposeLabels.service] ?? "", name: container.name,
                                         number: Int(container.labels[ComposeLabels.number] ?? "") ?? 1, action: .remove, containerID: container.id)
        }
        do {
            try await removeContainers(steps, timeouts: stopTimeouts, fixedTimeout: options.timeout,
                                       stopped: Set(containers.filter { $0.state != "running" }.map(\.id)), anonymousVolumes: options.removeVolumes,
                                       services: services)
        } catch {
            failures += error.diagnostics
        }
        if let networks = try? await client.listNetworks(filters: filter) {
            for network in networks {
                do {
                    progress(.network, network.name, .removing)
                    try await client.removeNetwork(network.id)
                    progress(.network, network.name, .removed)
                } catch {
                    failures.append(.error("engine-error", "cannot remove network '\(network.name)': \(error)", at: nil))
                }
            }
        }
        if options.removeVolumes, let volumes = try? await client.listVolumes(filters: filter) {
            for volume in volumes {
                do {
                    try await client.removeVolume(volume.name)
                    progress(.volume, volume.name, .removed)
                } catch {
                    failures.append(.error("engine-error", "cannot remove volume '\(volume.name)': \(error)", at: nil))
                }
            }
        }
        if !failures.isEmpty { throw RuntimeError(failures) }
    }
}
