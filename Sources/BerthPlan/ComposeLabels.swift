/// The labels `docker compose` puts on what it creates, so that `docker compose ps` sees Berth's containers.
public enum ComposeLabels {
    /// The Compose version Berth's labels follow.
    public static let composeVersion = "2.29.0"
    public static let project = "com.docker.compose.project"
    public static let service = "com.docker.compose.service"
    public static let number = "com.docker.compose.container-number"
    public static let oneoff = "com.docker.compose.oneoff"
    /// On a one-off container of `run`: its 64-hex slug.
    public static let slug = "com.docker.compose.slug"
    public static let configHash = "com.docker.compose.config-hash"
    public static let workingDir = "com.docker.compose.project.working_dir"
    public static let configFiles = "com.docker.compose.project.config_files"
    public static let version = "com.docker.compose.version"
    public static let network = "com.docker.compose.network"
    public static let volume = "com.docker.compose.volume"
    public static let image = "com.docker.compose.image"
    public static let dependsOn = "com.docker.compose.depends_on"
    /// The label filter of the containers Compose or Berth made for a project: its label, and a config hash (a
    /// container merely run from a built image inherits the project label, not the hash).
    public static func madeFor(_ project: String) -> [String] {
        [configHash, "\(ComposeLabels.project)=\(project)"]
    }

    /// On a replacement container: the name of the container it replaces.
    public static let replace = "com.docker.compose.replace"
}
