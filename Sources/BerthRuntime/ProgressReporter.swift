/// Where the runtime sends its progress events; a renderer decides what they look like.
public struct ProgressReporter: Sendable {
    public var emit: @Sendable (ProgressEvent) -> Void

    public init(emit: @escaping @Sendable (ProgressEvent) -> Void) {
        self.emit = emit
    }

    public static let silent = ProgressReporter { _ in }

    public func callAsFunction(_ event: ProgressEvent) { emit(event) }

    func callAsFunction(_ resource: ProgressEvent.Resource, _ name: String, _ state: ProgressEvent.State, _ detail: String? = nil) {
        emit(.resource(resource, name, state, detail))
    }
}
