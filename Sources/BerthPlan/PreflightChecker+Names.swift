import BerthDiagnostics
import BerthGraph
import BerthSpec

/// Container names: clashes within the project and with containers on the engine.
extension PreflightChecker {

    func nameChecks() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var names: [String: (String, SourceLocation)] = [:]
        for service in project.services {
            guard let name = service.containerName, let location = service.containerNameLocation else { continue }
            if let first = names[name] {
                var d = Diagnostic.error("container-name-conflict", "service '\(service.name)' uses container_name '\(name)', which service '\(first.0)' already uses", at: location, service: service.name)
                d.related = [.init(location: first.1, message: "'\(first.0)' sets it here", service: first.0)]
                diagnostics.append(d)
            } else {
                names[name] = (service.name, location)
            }
            if service.replicas > 1 {
                diagnostics.append(.error("container-name-conflict", "service '\(service.name)' sets container_name '\(name)' but has \(service.replicas) replicas; container names must be unique", at: location, service: service.name))
            }
            if let holder = options.engine.containers.first(where: { $0.name == name && $0.project != project.name }) {
                diagnostics.append(.error("container-name-conflict", "container name '\(name)' of service '\(service.name)' is already used by container \(String(holder.id.prefix(12))) outside this project\(holder.project.map { " (project '\($0)')" } ?? "")", at: location, service: service.name))
            }
        }
        // The names Berth generates (<project>-<service>-<n>) may be taken too.
        for service in project.services where service.containerName == nil {
            for number in 1...max(service.replicas, 1) {
                let name = "\(project.name)-\(service.name)-\(number)"
                if let holder = options.engine.containers.first(where: { $0.name == name && ($0.project != project.name || $0.service != service.name) }) {
                    diagnostics.append(.error("container-name-conflict", "container name '\(name)' for service '\(service.name)' is already used by container \(String(holder.id.prefix(12))) outside this project", at: service.location, service: service.name))
                }
            }
        }
        return diagnostics
    }
}
