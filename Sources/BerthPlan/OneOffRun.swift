import BerthSpec

/// The one-off container of `run`: a service as the command line changes it, as `docker compose run` makes it
/// (pkg/compose/run.go): no published ports unless asked, no restart policy, one replica, the service's network
/// aliases only with `--use-aliases`.
public struct OneOffRun: Sendable, Hashable {
    public var service: String
    /// 64 hex digits (`com.docker.compose.slug`); the default name ends with its first 12.
    public var slug: String
    /// `--name`, which replaces `container_name`.
    public var name: String?
    /// The command given after the service; it replaces `command` whole.
    public var command: [String]?
    public var entrypoint: [String]?
    /// `-e` and `--env-from-file` entries, over the service's.
    public var environment: [KeyValue] = []
    public var user: String?
    public var workingDir: String?
    /// `-v` mounts, added to the service's (one on the same target replaces it).
    public var volumes: [VolumeMount] = []
    /// `-p` ports; the service's own `ports` only with `-P`.
    public var publish: [PortMapping] = []
    public var servicePorts = false
    public var labels: [KeyValue] = []
    public var capAdd: [String] = []
    public var capDrop: [String] = []
    public var tty = false
    /// Stdin attached (`-i`, on by default).
    public var interactive = true
    public var useAliases = false
    /// `--rm`: the engine removes the container when it ends.
    public var autoRemove = false

    public init(service: String, slug: String) {
        self.service = service
        self.slug = slug
    }

    public func containerName(project: String, separator: String = "-") -> String {
        name ?? [project, service, "run", String(slug.prefix(12))].joined(separator: separator)
    }

    /// The service the one-off container runs.
    public func apply(to original: Service) -> Service {
        var service = original
        if let command {
            service.command = command
        } else if entrypoint != nil {
            service.command = nil
        }
        if let entrypoint { service.entrypoint = entrypoint }
        let overridden = Set(environment.map(\.key))
        service.environment = service.environment.filter { !overridden.contains($0.key) } + environment
        if let user { service.user = user }
        if let workingDir { service.workingDir = workingDir }
        let targets = Set(volumes.map(\.target))
        service.volumes = service.volumes.filter { !targets.contains($0.target) } + volumes
        if !servicePorts { service.ports = publish }
        let relabelled = Set(labels.map(\.key))
        service.labels = service.labels.filter { !relabelled.contains($0.key) } + labels
        service.capAdd = service.capAdd.filter { !capDrop.contains($0) } + capAdd
        service.capDrop = service.capDrop.filter { !capAdd.contains($0) } + capDrop
        service.tty = tty
        service.stdinOpen = interactive
        service.restart = nil
        service.containerName = nil
        service.replicas = 1
        return service
    }
}
