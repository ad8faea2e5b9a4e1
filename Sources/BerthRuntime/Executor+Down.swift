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
        // Containers Compose or Berth made carry a config hash; one merely run from a built image inherits only the
        // image's project label, and is not the project's.
        let containers = try await engineCall({ try await client.listContainers(all: true, filters: ["label": ComposeLabels.madeFor(projectName)]) },
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
        if let mode = options.removeImages {
            failures += await removeImages(mode, project: projectName, services: services)
        }
        if !failures.isEmpty { throw RuntimeError(failures) }
    }

    /// `down --rmi`, as Compose's image pruner picks images (pkg/compose/image_pruner.go): pulled images only with
    /// `all`; an image in use by another container is reported, not forced.
    private func removeImages(_ mode: DownOptions.RemoveImages, project: String, services: [String: Service]) async -> [Diagnostic] {
        var names: [String] = []
        let built = (try? await client.listImages(filters: ["label": ["\(ComposeLabels.project)=\(project)"], "dangling": ["false"]])) ?? []
        for image in built where services.isEmpty || services[image.labels[ComposeLabels.service] ?? ""] != nil {
            if let tag = image.repoTags.first { names.append(tag) }
        }
        for service in services.values.sorted(by: { $0.name < $1.name }) {
            if service.image == nil { names.append("\(project)-\(service.name)") }
            if mode == .all, let image = service.image { names.append(image) }
        }
        var failures: [Diagnostic] = []
        var seen = Set<String>()
        for name in names.sorted() where seen.insert(name).inserted {
            guard (try? await client.inspectImage(name)) ?? nil != nil else { continue }
            do {
                progress(.image, name, .removing)
                try await client.removeImage(name)
                progress(.image, name, .removed)
            } catch {
                failures.append(.error("engine-error", "cannot remove image '\(name)': \((error as? DockerError)?.message ?? "\(error)")", at: nil))
            }
        }
        return failures
    }
}
