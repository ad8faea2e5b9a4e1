/// What the user asked of a command that changes the stack (`up` today; `create`, `start`, `run` later).
public struct PlanOptions: Sendable, Hashable {
    /// When an existing container is replaced.
    public enum Recreate: String, Sendable, Hashable {
        /// Only when its configuration, image, parent or attachments changed.
        case changed
        /// Always (`--force-recreate`, `-V`).
        case force
        /// Never (`--no-recreate`).
        case never
    }

    /// How images without a `pull_policy` of their own are pulled.
    public enum Pull: String, Sendable, Hashable, CaseIterable {
        case missing, always, never
    }

    /// The services asked for; empty means all.
    public var services: [String] = []
    /// Leave out the dependencies of the services asked for (`--no-deps`).
    public var noDeps = false
    /// For the services asked for (all of them when none are named).
    public var recreate: Recreate = .changed
    /// Recreate the dependencies that come along with named services (`--always-recreate-deps`).
    public var alwaysRecreateDeps = false
    public var removeOrphans = false
    /// Replica counts that override the files (`--scale web=3`).
    public var scale: [String: Int] = [:]
    /// Give recreated containers new anonymous volumes instead of their predecessors' (`-V`).
    public var renewAnonVolumes = false
    public var pull: Pull = .missing
    /// Build the images of services with `build:` even when present (`--build`).
    public var build = false
    /// Never build (`--no-build`): a service whose image is missing is an error at its line.
    public var noBuild = false
    /// The user agreed to recreate volumes whose configuration changed, losing their data (`-y` or a prompt).
    public var recreateChangedVolumes = false
    /// Run the pre-flight checks (`--no-check` turns them off).
    public var check = true
    /// Warning and note codes silenced for this run (`--ignore code`); errors cannot be silenced.
    public var ignoredCodes: Set<String> = []
    /// Now, in seconds since 1970: a `daily`, `weekly` or `every_<duration>` pull policy compares an image's last
    /// tag time with it. An input, so that planning stays a pure function.
    public var now: Double = 0
    /// `run`: plan the one-off container of this service, after its dependencies (which are planned as `up` plans
    /// them), instead of the service's replicas.
    public var run: OneOffRun?
    /// Between the parts of a container's name: `-`, or `_` with `--compatibility` (docker-compose 1's names).
    public var separator = "-"

    public init() {}
}
