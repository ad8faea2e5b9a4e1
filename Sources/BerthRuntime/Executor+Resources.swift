import BerthDiagnostics
import BerthPlan
import BerthSpec
import DockerEngine
import Foundation

/// The steps before containers: removals, networks, volumes and images.
extension Executor {
    /// Stops and removes containers, four at a time: the engine gets no faster beyond that on this size of machine,
    /// and heavy concurrent removal is where engine 20.10 leaves stale network endpoints behind.
    /// `stopped` names containers known not to run, which are removed without a stop request.
    /// `anonymousVolumes` removes the anonymous volumes the containers mount with them (`down -v`).
    /// `services` give the `pre_stop` hooks run before their running containers stop; one that fails leaves its
    /// container.
    func removeContainers(_ steps: [DeploymentPlan.ContainerStep], timeouts: [String: Int] = [:], fixedTimeout: Int? = nil,
                          stopped: Set<String> = [], anonymousVolumes: Bool = false, services: [String: Service] = [:]) async throws(RuntimeError) {
        let failures = await withTaskGroup(of: Diagnostic?.self) { group -> [Diagnostic] in
            var failures: [Diagnostic] = []
            for (index, step) in steps.enumerated() {
                if index >= Self.removalConcurrency, let finished = await group.next(), let finished { failures.append(finished) }
                guard let id = step.containerID else { continue }
                let timeout = fixedTimeout ?? timeouts[step.service]
                group.addTask {
                    do {
                        if !stopped.contains(id) {
                            self.progress(.container, step.name, .stopping)
                            if let service = services[step.service] {
                                do {
                                    try await self.stop(id, name: step.name, service: service, timeout: timeout)
                                } catch let error as RuntimeError {
                                    self.progress(.container, step.name, .failed, "pre_stop hook")
                                    return error.diagnostics.first
                                }
                            } else {
                                try await self.client.stopContainer(id, timeout: timeout)
                            }
                        }
                        self.progress(.container, step.name, .removing)
                        try await self.client.removeContainer(id, force: true, volumes: anonymousVolumes)
                        self.progress(.container, step.name, .removed)
                        return nil
                    } catch {
                        self.progress(.container, step.name, .failed, "\(error)")
                        return .error("engine-error", "cannot remove container '\(step.name)': \(error)", at: nil, service: step.service)
                    }
                }
            }
            for await result in group { if let result { failures.append(result) } }
            return failures
        }
        if !failures.isEmpty { throw RuntimeError(failures) }
    }

    func applyNetworks(_ plan: DeploymentPlan, project: ComposeProject, created: inout CreatedResources) async throws(RuntimeError) {
        for step in plan.networks {
            guard let network = project.network(named: step.key) else { continue }
            if step.action == .recreate, let existing = step.existingID {
                progress(.network, step.name, .recreating, "changed: \(step.changed.joined(separator: ", "))")
                for container in step.attached { try? await client.disconnectNetwork(existing, container: container, force: true) }
                try await engineCall({ try await client.removeNetwork(existing) },
                                     { .error("engine-error", "cannot remove network '\(step.name)' to recreate it: \(($0 as? DockerError)?.message ?? "\($0)")", at: network.location) })
            } else {
                progress(.network, step.name, .creating)
            }
            let apiVersion = try? await client.negotiate().version
            _ = try await engineCall({ try await client.createNetwork(ResourceSpec.network(network, project: project.name, apiVersion: apiVersion)) }, { error in
                let message = (error as? DockerError)?.message ?? "\(error)"
                return .error(message.contains("overlaps") ? "subnet-overlap" : "engine-error",
                              "cannot create network '\(step.name)': \(message)", at: network.ipam.first?.location ?? network.location)
            })
            if step.action == .create { created.networks.append(step.name) }
            // Containers that stay reconnect to the new network with their endpoint settings.
            if step.action == .recreate {
                let staying = plan.containers.filter { ($0.action == .keep || $0.action == .start || $0.action == .restart) && step.attached.contains($0.containerID ?? "") }
                for container in staying {
                    guard let id = container.containerID, let service = project.service(named: container.service),
                          let attachment = service.networks.first(where: { $0.name == step.key }) else { continue }
                    try await engineCall({ try await client.connectNetwork(step.name, container: id, endpoint: ContainerSpec.endpoint(attachment, service: service, project: project,
                                                                                                                                                apiVersion: try? await client.negotiate().version)) },
                                         { .error("engine-error", "cannot reconnect '\(container.name)' to network '\(step.name)': \($0)", at: attachment.location, service: service.name) })
                    progress(.container, container.name, .connected, step.name)
                }
            }
            progress(.network, step.name, step.action == .create ? .created : .recreated)
        }
    }

    func applyVolumes(_ plan: DeploymentPlan, project: ComposeProject, created: inout CreatedResources) async throws(RuntimeError) {
        for step in plan.volumes {
            guard let volume = project.volumes.first(where: { $0.name == step.key }) else { continue }
            if step.action == .recreate {
                progress(.volume, step.name, .recreating, "changed: \(step.changed.joined(separator: ", ")); its data is deleted")
                let users = plan.containers.filter { step.users.contains($0.containerID ?? "") }
                try await removeContainers(users)
                try await engineCall({ try await client.removeVolume(step.name) },
                                     { .error("engine-error", "cannot remove volume '\(step.name)' to recreate it: \($0)", at: volume.location) })
            } else {
                progress(.volume, step.name, .creating)
            }
            try await engineCall({ try await client.createVolume(ResourceSpec.volume(volume, project: project.name)) },
                                 { .error("engine-error", "cannot create volume '\(step.name)': \($0)", at: volume.location) })
            if step.action == .create { created.volumes.append(step.name) }
            progress(.volume, step.name, step.action == .create ? .created : .recreated)
        }
    }

    func applyImages(_ plan: DeploymentPlan, project: ComposeProject) async throws(RuntimeError) {
        for step in plan.images {
            guard let service = project.service(named: step.service) else { continue }
            switch step.action {
            case .build:
                guard let build = service.build else { continue }
                try await buildImage(step.reference, build: build, service: service, project: project.name)
            case .pull:
                let transfer = ImageTransfer(client: client, progress: progress, configDirectory: configDirectory)
                if let outcome = await transfer.pull([step.reference]).first, let error = outcome.error {
                    throw RuntimeError(outcome.credentials ? "registry-credentials" : "missing-image",
                                       "service '\(service.name)': cannot pull image '\(step.reference)': \(error)", at: service.location, service: service.name)
                }
            }
        }
    }

    /// What `berth build` adds to a service's `build` section.
    public struct BuildOptions: Sendable {
        public var noCache = false
        public var pull = false
        /// `--build-arg K=V`, over the file's `args`.
        public var args: [String: String] = [:]
        public init() {}
    }

    /// Builds a service's image through the engine's build endpoint from its context directory.
    /// The image carries Compose's labels (project, service, version), so that `down --rmi local` finds it, Berth's or
    /// Compose's.
    public func buildImage(_ image: String, build: BuildSpec, service: Service, project: String, options: BuildOptions = BuildOptions()) async throws(RuntimeError) {
        progress(.image, image, .building)
        // A `dockerfile_inline` is sent inside the context, under a name of its own.
        let inlineName = build.dockerfileInline == nil ? nil : BuildContext.inlineDockerfileName
        let tar: [UInt8]
        do {
            tar = try BuildContext.archive(directory: build.context, dockerfile: inlineName ?? build.dockerfile ?? "Dockerfile", inline: build.dockerfileInline)
        } catch {
            throw RuntimeError("build-failed", "service '\(service.name)': \(error)", at: service.location, service: service.name)
        }
        var args: [String: String] = [:]
        for arg in build.args { if let value = arg.value { args[arg.key] = value } }
        args.merge(options.args) { $1 }
        // Credentials for every registry config.json knows, for the FROM lines (a helper that fails is left out here:
        // the pull of a FROM image then says so).
        let config = try? DockerConfigFile.load(directory: configDirectory)
        let registries = Set((config?.auths.keys.map { $0 } ?? []) + (config?.credHelpers.keys.map { $0 } ?? []))
        var auth: [RegistryAuth] = []
        if let config {
            for registry in registries.sorted() { if let found = try? RegistryAuth.resolve(registry: RegistryAuth.hostname(registry), config: config) { auth.append(found) } }
        }
        var labels: [String: String] = [:]
        for label in build.labels { labels[label.key] = label.value ?? "" }
        labels[ComposeLabels.project] = project
        labels[ComposeLabels.service] = service.name
        labels[ComposeLabels.version] = ComposeLabels.composeVersion
        do {
            var parameters = BuildParameters(tags: [image] + build.tags.filter { $0 != image },
                                             dockerfile: inlineName ?? build.dockerfile, target: build.target)
            parameters.buildArgs = args
            parameters.labels = labels
            parameters.noCache = options.noCache || build.noCache
            parameters.pull = options.pull || build.pull
            parameters.cacheFrom = build.cacheFrom
            parameters.networkMode = build.network
            parameters.shmSize = build.shmSize
            parameters.extraHosts = build.extraHosts
            parameters.ulimits = build.ulimits.map { .init(name: $0.name, soft: $0.soft, hard: $0.hard) }
            parameters.isolation = build.isolation
            try await client.buildImage(context: tar, parameters: parameters, auth: auth) {
                self.progress(.image, image, .building, $0)
            }
        } catch {
            throw RuntimeError("build-failed", "service '\(service.name)': building image '\(image)' failed: \((error as? DockerError)?.message ?? "\(error)")",
                               at: service.location, service: service.name)
        }
        progress(.image, image, .built)
    }
}
