import BerthRuntime
import BerthYAML

/// The text forms of a progress event: a plain line as Compose prints it, and a JSON object per line.
enum ProgressText {
    /// `Container demo-web-1  Started`, with any detail after it.
    static func line(_ event: ProgressEvent) -> String {
        switch event.kind {
        case .resource(let resource, let name, let state, let detail):
            "\(resource.rawValue) \(name)  \(state.rawValue)\(detail.map { " \($0)" } ?? "")"
        case .message(let severity, let text):
            severity == .note ? text : "\(severity.rawValue): \(text)"
        }
    }

    static func json(_ event: ProgressEvent) -> String {
        let node: YAMLNode = switch event.kind {
        case .resource(let resource, let name, let state, let detail):
            .map([("resource", .string(resource.rawValue.lowercased())), ("name", .string(name)), ("state", .string(state.rawValue.lowercased())),
                  ("done", .bool(state.isDone)), ("detail", detail.map { .string($0) } ?? .null)])
        case .message(let severity, let text):
            .map([("severity", .string(severity.rawValue)), ("message", .string(text))])
        }
        return JSONWriter.write(node, pretty: false)
    }
}
