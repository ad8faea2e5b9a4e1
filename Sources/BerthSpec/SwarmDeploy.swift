import BerthDiagnostics

/// The `deploy` keys only a swarm applies (`berth stack deploy`), as the Compose file writes them. `up` warns about
/// them at their lines; `stack deploy` sends them.
public struct SwarmDeploy: Sendable, Hashable {
    /// `replicated`, `global`, `replicated-job` or `global-job`.
    public var mode: String?
    /// Whether `deploy.replicas` (or `scale`) was written: a redeploy without it sends none, as the docker CLI does.
    public var replicasWritten = false
    /// `deploy.labels`: the service's labels (not the containers').
    public var labels: [KeyValue] = []
    public var constraints: [String] = []
    /// `placement.preferences[].spread`.
    public var spreads: [String] = []
    public var maxReplicasPerNode: Int?
    /// `vip` or `dnsrr`.
    public var endpointMode: String?
    public var restartPolicy: RestartPolicy?
    public var updateConfig: UpdateConfig?
    public var rollbackConfig: UpdateConfig?
    /// `deploy.resources.reservations.cpus`, in nano CPUs.
    public var reservedNanoCPUs: Int64?
    /// `deploy.resources.reservations.generic_resources`: kind and value.
    public var genericResources: [KeyValue] = []
    /// Where each key was written (`mode`, `placement`, `endpoint_mode`, ...), for diagnostics.
    public var locations: [String: SourceLocation] = [:]

    public struct RestartPolicy: Sendable, Hashable {
        public var condition: String?
        public var delay: Duration?
        public var maxAttempts: Int?
        public var window: Duration?
    }

    public struct UpdateConfig: Sendable, Hashable {
        public var parallelism: Int?
        public var delay: Duration?
        public var failureAction: String?
        public var monitor: Duration?
        public var maxFailureRatio: Double?
        public var order: String?
    }

    public init() {}
}
