/// What `POST /containers/{id}/exec` creates: the command and how it runs.
public struct ExecOptions: Sendable, Hashable {
    public var command: [String]
    public var tty: Bool
    /// Whether the process's stdin is attached (`exec` always attaches it, as `docker compose exec` does).
    public var attachStdin: Bool
    public var user: String?
    public var privileged: Bool
    public var workingDir: String?
    /// `KEY=value` entries added to the container's environment.
    public var environment: [String]

    public init(command: [String], tty: Bool = false, attachStdin: Bool = false, user: String? = nil, privileged: Bool = false,
                workingDir: String? = nil, environment: [String] = []) {
        self.command = command
        self.tty = tty
        self.attachStdin = attachStdin
        self.user = user
        self.privileged = privileged
        self.workingDir = workingDir
        self.environment = environment
    }

    var body: JSONValue {
        var body: [String: JSONValue] = ["AttachStdout": true, "AttachStderr": true, "AttachStdin": .bool(attachStdin),
                                         "Tty": .bool(tty), "Cmd": .array(command.map(JSONValue.string))]
        if let user { body["User"] = .string(user) }
        if privileged { body["Privileged"] = true }
        if let workingDir { body["WorkingDir"] = .string(workingDir) }
        if !environment.isEmpty { body["Env"] = .array(environment.map(JSONValue.string)) }
        return .object(body)
    }
}
