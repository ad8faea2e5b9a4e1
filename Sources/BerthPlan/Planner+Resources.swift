import BerthDiagnostics
import BerthSpec

/// Networks, volumes and images: what to create, recreate, pull or build.
extension Planner.Context {
    mutating func networkSteps() -> [DeploymentPlan.NetworkStep] {
        let used = Set(services.flatMap { $0.networkMode == nil ? $0.networks.map(\.name) : [] })
        var steps: [DeploymentPlan.NetworkStep] = []
        for network in project.networks where used.contains(network.name) && !network.external {
            guard let existing = engine.networks.first(where: { $0.name == network.engineName }) else {
                steps.append(.init(key: network.name, name: network.engineName, action: .create, changed: [], existingID: nil, attached: []))
                continue
            }
            let fingerprint = ResourceFingerprint(network: network)
            guard let recorded = existing.configHash else {
                diagnostics.append(.warning("unmanaged-network", "network '\(network.engineName)' exists but was not created by Berth or Compose; it is used as it is (set 'external: true' to say so)", at: network.location))
                continue
            }
            // Compose records a hash of its own: a network it made is used as it is, never rebuilt for a hash
            // Berth cannot compare.
            guard existing.config != nil, recorded != fingerprint.hash else { continue }
            let changed = existing.config.map { ServiceFingerprint.changedFields(from: $0, to: fingerprint.canonical) } ?? ["config"]
            let attached = engine.containers.filter { $0.networks.contains(network.engineName) }.map(\.id)
            steps.append(.init(key: network.name, name: network.engineName, action: .recreate, changed: changed.isEmpty ? ["config"] : changed,
                               existingID: existing.id, attached: attached))
        }
        return steps
    }

    mutating func volumeSteps() -> [DeploymentPlan.VolumeStep] {
        let used = Set(services.flatMap { $0.volumes.compactMap { $0.type == .volume ? $0.source : nil } })
        var steps: [DeploymentPlan.VolumeStep] = []
        for volume in project.volumes where used.contains(volume.name) && !volume.external {
            guard let existing = engine.volumes.first(where: { $0.name == volume.engineName }) else {
                steps.append(.init(key: volume.name, name: volume.engineName, action: .create, changed: [], users: []))
                continue
            }
            guard let recorded = existing.configHash else {
                if existing.project == nil {
                    diagnostics.append(.warning("unmanaged-volume", "volume '\(volume.engineName)' exists but was not created by Berth or Compose; it is used as it is (set 'external: true' to say so)", at: volume.location))
                }
                continue
            }
            let fingerprint = ResourceFingerprint(volume: volume)
            // As for networks: a hash Compose recorded is not comparable, and a volume is never deleted on a guess.
            guard let made = existing.config, recorded != fingerprint.hash else { continue }
            var changed = ServiceFingerprint.changedFields(from: made, to: fingerprint.canonical)
            if changed.isEmpty { changed = ["config"] }
            let users = engine.containers.filter { $0.volumes.contains { $0.name == volume.engineName } }
            // Only containers this plan replaces can let go of it; anything else would keep it busy half-way through.
            let replaceable = Set(engine.containers(ofProject: project.name).filter { container in
                services.contains { $0.name == container.service && $0.volumes.contains { $0.type == .volume && $0.source == volume.name } }
            }.map(\.id))
            let blocking = users.filter { !replaceable.contains($0.id) }
            if options.recreateChangedVolumes && blocking.isEmpty {
                steps.append(.init(key: volume.name, name: volume.engineName, action: .recreate, changed: changed, users: users.map(\.id)))
            } else if options.recreateChangedVolumes {
                diagnostics.append(.error("volume-in-use", "volume '\(volume.engineName)' cannot be recreated: it is also mounted by \(blocking.map { "'\($0.name)'" }.joined(separator: ", ")), which this run does not replace; remove or stop using it first", at: volume.location))
            } else {
                diagnostics.append(.error("volume-changed", "volume '\(volume.engineName)' exists with another configuration (changed: \(changed.joined(separator: ", "))); recreating it deletes its data: answer yes at the prompt or run 'up -y' to recreate it, or change the file back", at: volume.location))
            }
        }
        return steps
    }

    mutating func imageSteps() -> [DeploymentPlan.ImageStep] {
        var steps: [DeploymentPlan.ImageStep] = []
        for service in services {
            // Services sharing an image get one step, from the first whose policy asks for one.
            let reference = imageReference(service)
            if steps.contains(where: { $0.reference == reference }) { continue }
            let present = engine.images[reference] != nil
            if service.build != nil, options.noBuild {
                if !present && engine.reachable {
                    diagnostics.append(.error("missing-image", "service '\(service.name)': image '\(reference)' is not present, and --no-build does not build it", at: service.location, service: service.name))
                }
                continue
            }
            if service.build != nil {
                if options.build {
                    steps.append(.init(service: service.name, reference: reference, action: .build, reason: "--build"))
                } else if service.pullPolicy == "build" {
                    steps.append(.init(service: service.name, reference: reference, action: .build, reason: "pull_policy: build"))
                } else if !present {
                    steps.append(.init(service: service.name, reference: reference, action: .build, reason: "missing"))
                }
                continue
            }
            let written = service.pullPolicy.flatMap(PullPolicy.init)
            let policy = written ?? PullPolicy(options.pull.rawValue) ?? .missing
            let why = service.pullPolicy.map { "pull_policy: \($0)" } ?? "--pull \(options.pull.rawValue)"
            switch policy {
            case .always:
                steps.append(.init(service: service.name, reference: reference, action: .pull, reason: why))
            case .never, .build:
                // `build` without a build section cannot build, and does not pull either (Compose's mustPull).
                if !present && engine.reachable {
                    diagnostics.append(.error("missing-image", "service '\(service.name)': image '\(reference)' is not present and pull_policy is '\(service.pullPolicy ?? options.pull.rawValue)'", at: service.location, service: service.name))
                }
            case .refresh(let seconds):
                if !present {
                    steps.append(.init(service: service.name, reference: reference, action: .pull, reason: "missing"))
                } else if let tagged = engine.images[reference]?.lastTagTime, options.now > tagged + Double(seconds) {
                    let hours = Int((options.now - tagged) / 3600)
                    steps.append(.init(service: service.name, reference: reference, action: .pull, reason: "\(why): last pulled \(hours) h ago"))
                } else if engine.images[reference]?.lastTagTime == nil {
                    steps.append(.init(service: service.name, reference: reference, action: .pull, reason: "\(why): never pulled"))
                }
            case .missing:
                if !present { steps.append(.init(service: service.name, reference: reference, action: .pull, reason: "missing")) }
            }
        }
        return steps
    }
}
