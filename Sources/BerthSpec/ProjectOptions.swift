/// What the user asked for on the command line and in the environment, as Compose reads it.
public struct ProjectOptions: Sendable {
    /// `-f` files, in order; empty means default discovery (or `COMPOSE_FILE`).
    public var files: [String]
    public var projectName: String?
    public var projectDirectory: String?
    /// `--env-file` files; empty means `.env` in the project directory.
    public var envFiles: [String]
    /// `--profile` values; `COMPOSE_PROFILES` is added.
    public var profiles: [String]
    /// Services named on the command line are enabled whatever their profiles.
    public var selectedServices: [String]
    /// The process environment.
    public var environment: [String: String]
    public var currentDirectory: String
    /// Substitute `${VAR}` (`config --no-interpolate` turns it off).
    public var interpolate = true

    public init(files: [String] = [], projectName: String? = nil, projectDirectory: String? = nil, envFiles: [String] = [],
                profiles: [String] = [], selectedServices: [String] = [], environment: [String: String],
                currentDirectory: String) {
        self.files = files
        self.projectName = projectName
        self.projectDirectory = projectDirectory
        self.envFiles = envFiles
        self.profiles = profiles
        self.selectedServices = selectedServices
        self.environment = environment
        self.currentDirectory = currentDirectory
    }
}

/// Project names as Compose normalises them: lower case, only `a-z`, `0-9`, `_` and `-`, starting with a letter or digit.
public enum ProjectName {
    public static func normalize(_ raw: String) -> String {
        let lowered = raw.lowercased()
        let kept = lowered.unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        var name = String(String.UnicodeScalarView(kept))
        while let first = name.first, first == "_" || first == "-" { name.removeFirst() }
        return name
    }

    public static func isValid(_ name: String) -> Bool { !name.isEmpty && normalize(name) == name }
}
