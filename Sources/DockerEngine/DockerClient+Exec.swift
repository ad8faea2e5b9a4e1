/// Exec instances and attached containers: created over plain HTTP, streamed over a hijacked connection.
extension DockerClient {
    /// Creates an exec instance in a running container; returns its ID.
    public func createExec(_ container: String, _ options: ExecOptions) async throws -> String {
        let created = try await send(.POST, "/containers/\(container)/exec", body: options.body).json()
        guard let id = created["Id"]?.string else { throw DockerError.invalidResponse("exec create gave no Id") }
        return id
    }

    /// Starts an exec instance and streams it until the process ends: `input` goes to its stdin (when it was created
    /// with stdin attached), its output to `output` (all of it as stdout under a TTY, where the engine does not split
    /// the streams).
    public func startExec(_ id: String, tty: Bool, input: (any StreamInput)?,
                          output: (DockerStreamDemultiplexer.Stream, [UInt8]) -> Void) async throws {
        try await hijack("/exec/\(id)/start", body: ["Detach": false, "Tty": .bool(tty)], multiplexed: !tty, input: input, output: output)
    }

    /// Starts an exec instance in the background (`exec -d`).
    public func startExecDetached(_ id: String) async throws {
        _ = try await send(.POST, "/exec/\(id)/start", body: ["Detach": true, "Tty": false])
    }

    /// The exit code of an ended exec instance (nil while it runs).
    public func execExitCode(_ id: String) async throws -> Int? {
        let details = try await send(.GET, "/exec/\(id)/json").json()
        if details["Running"]?.bool == true { return nil }
        return details["ExitCode"]?.int
    }

    /// Sets the TTY size of an exec instance (`ConsoleSize` at create needs API 1.42, so a terminal is sized here).
    public func resizeExec(_ id: String, rows: Int, columns: Int) async throws {
        _ = try await send(.POST, "/exec/\(id)/resize", query: [("h", String(rows)), ("w", String(columns))])
    }

    /// Runs a command in a running container to its end; returns its exit code, handing stdout and stderr to `output`.
    public func exec(_ container: String, _ options: ExecOptions, input: (any StreamInput)? = nil,
                     output: (DockerStreamDemultiplexer.Stream, [UInt8]) -> Void) async throws -> Int {
        let id = try await createExec(container, options)
        try await startExec(id, tty: options.tty, input: input, output: output)
        return try await execExitCode(id) ?? -1
    }

    /// Attaches to a container's streams (stdin when `input` is given) until it stops. `tty` is the container's own
    /// setting, which decides whether the output is split by stream; `attached` runs once the streams are open (to
    /// start a created container without missing its first output).
    /// `detachKeys` overrides the engine's detach sequence (ctrl-p,ctrl-q).
    public func attachContainer(_ id: String, tty: Bool, input: (any StreamInput)?, detachKeys: String? = nil, attached: (() async throws -> Void)? = nil,
                                output: (DockerStreamDemultiplexer.Stream, [UInt8]) -> Void) async throws {
        var query = [("stream", "1"), ("stdout", "1"), ("stderr", "1"), ("stdin", input == nil ? "0" : "1")]
        if let detachKeys { query.append(("detachKeys", detachKeys)) }
        try await hijack("/containers/\(id)/attach", query: query, body: nil, multiplexed: !tty, input: input, upgraded: attached, output: output)
    }

    /// Sets the TTY size of a container.
    public func resizeContainer(_ id: String, rows: Int, columns: Int) async throws {
        _ = try await send(.POST, "/containers/\(id)/resize", query: [("h", String(rows)), ("w", String(columns))])
    }
}

extension DockerClient {
    /// Runs a command with no input to its end (hooks, and tests that read a container's state).
    public func exec(_ container: String, command: [String], tty: Bool = false, user: String? = nil, privileged: Bool = false,
                     workingDir: String? = nil, environment: [String] = [],
                     output: (DockerStreamDemultiplexer.Stream, [UInt8]) -> Void) async throws -> Int {
        let options = ExecOptions(command: command, tty: tty, user: user, privileged: privileged, workingDir: workingDir, environment: environment)
        return try await exec(container, options, output: output)
    }
}
