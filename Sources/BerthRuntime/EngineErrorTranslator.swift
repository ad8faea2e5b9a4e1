import Foundation
import BerthDiagnostics
import BerthSpec
import DockerEngine

/// Turns engine errors into diagnostics at the YAML line that caused them.
enum EngineErrorTranslator {
    static func translate(_ error: Error, service: Service, project: ComposeProject, action: String) -> Diagnostic {
        // Berth's own failures (a hook, an injected file) already say where they are.
        if let runtime = error as? RuntimeError, let first = runtime.diagnostics.first { return first }
        guard let docker = error as? DockerError else {
            return .error("engine-error", "\(action) service '\(service.name)' failed: \(error)", at: service.location, service: service.name)
        }
        let message = docker.message
        if message.contains("port is already allocated") || message.contains("address already in use") {
            let port = portNumber(in: message)
            let culprit = service.ports.first { port != nil && $0.published?.lower == port } ?? service.ports.first
            return .error("port-in-use", "service '\(service.name)' cannot bind host port\(port.map { " \($0)" } ?? ""): \(message)",
                          at: culprit?.location ?? service.location, service: service.name)
        }
        if message.contains("is already in use by container") {
            return .error("container-name-conflict", "service '\(service.name)': \(message)", at: service.containerNameLocation ?? service.location, service: service.name)
        }
        if message.lowercased().contains("no such image") {
            return .error("missing-image", "service '\(service.name)': \(message)", at: service.location, service: service.name)
        }
        if message.contains("Pool overlaps") {
            return .error("subnet-overlap", "service '\(service.name)': \(message)", at: service.networksLocation ?? service.location, service: service.name)
        }
        return .error("engine-error", "\(action) service '\(service.name)' failed: \(message)", at: service.location, service: service.name)
    }

    /// The port in "Bind for 0.0.0.0:8080 failed" or "listen tcp4 0.0.0.0:8080: bind".
    static func portNumber(in message: String) -> Int? {
        for marker in ["Bind for ", "listen tcp4 ", "listen tcp6 ", "listen udp4 ", "listen tcp ", "listen udp "] {
            guard let range = message.range(of: marker) else { continue }
            let rest = message[range.upperBound...]
            let address = rest.prefix { $0 != " " && $0 != "," }.trimmingCharacters(in: CharacterSet(charactersIn: ":"))
            if let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) { return port }
        }
        return nil
    }
}

