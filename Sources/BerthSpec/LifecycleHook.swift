import BerthDiagnostics

/// A `post_start` or `pre_stop` hook: a command run in the service's container through the engine's exec, as
/// docker compose runs it (pkg/compose/hook.go).
public struct LifecycleHook: Sendable, Hashable {
    public var command: [String]
    public var user: String?
    public var privileged: Bool
    public var workingDir: String?
    public var environment: [KeyValue]
    public var location: SourceLocation

    public init(command: [String], user: String? = nil, privileged: Bool = false, workingDir: String? = nil, environment: [KeyValue] = [],
                location: SourceLocation) {
        self.command = command
        self.user = user
        self.privileged = privileged
        self.workingDir = workingDir
        self.environment = environment
        self.location = location
    }
}
