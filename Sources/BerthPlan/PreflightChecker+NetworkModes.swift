import BerthDiagnostics
import BerthGraph
import BerthSpec

/// Network modes: what `host`, `none` and `service:`/`container:` namespaces allow.
extension PreflightChecker {

    func networkModeChecks() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for service in project.services {
            guard let mode = service.networkMode, let modeLocation = service.networkModeLocation else { continue }
            let related: [Diagnostic.Related] = [.init(location: modeLocation, message: "network_mode '\(mode)' set here", service: service.name)]
            switch mode {
            case .host, .none, .service, .container:
                if let networksLocation = service.networksLocation {
                    var d = Diagnostic.error("network-mode-conflict", "service '\(service.name)' sets both 'network_mode: \(mode)' and 'networks'; the engine accepts only one", at: networksLocation, service: service.name)
                    d.related = related
                    diagnostics.append(d)
                }
            default: break
            }
            switch mode {
            case .service, .container:
                var refused: [(String, SourceLocation)] = []
                if let first = service.ports.first { refused.append(("ports", first.location)) }
                if let location = service.hostnameLocation { refused.append(("hostname", location)) }
                if let location = service.dnsLocation { refused.append(("dns", location)) }
                for (field, location) in refused {
                    var d = Diagnostic.error("network-mode-conflict", "service '\(service.name)' joins another container's network namespace ('\(mode)'), so it cannot set '\(field)'", at: location, service: service.name)
                    d.related = related
                    diagnostics.append(d)
                }
            case .none:
                if let first = service.ports.first {
                    var d = Diagnostic.error("network-mode-conflict", "service '\(service.name)' has no network ('network_mode: none'), so its ports cannot be published", at: first.location, service: service.name)
                    d.related = related
                    diagnostics.append(d)
                }
            default: break
            }
        }
        return diagnostics
    }
}
