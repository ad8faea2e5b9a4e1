import Foundation

/// The endpoints Berth uses, with typed answers. Request bodies stay Docker-shaped (`JSONValue`): the engine client
/// knows Docker, not Compose.
extension DockerClient {
    // MARK: system

    public func info() async throws -> EngineInfo {
        EngineInfo(json: try await send(.GET, "/info").json())
    }

    // MARK: containers

    public func listContainers(all: Bool = true, filters: [String: [String]] = [:]) async throws -> [ContainerSummary] {
        var query = [("all", all ? "1" : "0")]
        if !filters.isEmpty { query.append(("filters", Self.filters(filters))) }
        return (try await send(.GET, "/containers/json", query: query).json().array ?? []).map(ContainerSummary.init(json:))
    }

    public func inspectContainer(_ id: String) async throws -> ContainerDetails {
        ContainerDetails(json: try await send(.GET, "/containers/\(id)/json").json())
    }

    /// Creates a container; returns its ID and the engine's warnings.
    /// `platform` (`os[/arch[/variant]]`) chooses the image variant the container runs (API 1.41).
    public func createContainer(name: String, body: JSONValue, platform: String? = nil) async throws -> (id: String, warnings: [String]) {
        var query: [(String, String)] = [("name", name)]
        if let platform { query.append(("platform", platform)) }
        let answer = try await send(.POST, "/containers/create", query: query, body: body).json()
        return (answer["Id"]?.string ?? "", answer["Warnings"]?.array?.compactMap { $0.string } ?? [])
    }

    public func startContainer(_ id: String) async throws {
        _ = try await send(.POST, "/containers/\(id)/start")
    }

    public func stopContainer(_ id: String, timeout: Int?, signal: String? = nil) async throws {
        var query: [(String, String)] = []
        if let timeout { query.append(("t", String(timeout))) }
        if let signal { query.append(("signal", signal)) }
        // 304: already stopped; 404: already gone.
        _ = try await send(.POST, "/containers/\(id)/stop", query: query, timeoutSeconds: Int64((timeout ?? 10) + 60), allowing: [404])
    }

    public func unpauseContainer(_ id: String) async throws {
        _ = try await send(.POST, "/containers/\(id)/unpause")
    }

    public func pauseContainer(_ id: String) async throws {
        _ = try await send(.POST, "/containers/\(id)/pause")
    }

    /// Sends a signal (`SIGKILL` when nil) to a running container.
    public func killContainer(_ id: String, signal: String? = nil) async throws {
        _ = try await send(.POST, "/containers/\(id)/kill", query: signal.map { [("signal", $0)] } ?? [])
    }

    public func renameContainer(_ id: String, to name: String) async throws {
        _ = try await send(.POST, "/containers/\(id)/rename", query: [("name", name)])
    }

    /// Removes a container; one that is already gone is not an error.
    public func removeContainer(_ id: String, force: Bool = false, volumes: Bool = false) async throws {
        _ = try await send(.DELETE, "/containers/\(id)", query: [("force", force ? "1" : "0"), ("v", volumes ? "1" : "0")], allowing: [404])
    }

    /// Waits for the container to stop; returns its exit code.
    public func waitContainer(_ id: String, condition: String = "not-running") async throws -> Int {
        try await send(.POST, "/containers/\(id)/wait", query: [("condition", condition)], timeoutSeconds: 86_400).json()["StatusCode"]?.int ?? -1
    }

    /// The container's log so far, demultiplexed unless the container has a TTY.
    public func logs(_ id: String, tail: String = "all", timestamps: Bool = false) async throws -> [UInt8] {
        let response = try await send(.GET, "/containers/\(id)/logs", query: [("stdout", "1"), ("stderr", "1"), ("tail", tail), ("follow", "0"), ("timestamps", timestamps ? "1" : "0")])
        return Array(response.body)
    }

    /// The container's log as it is written: raw chunks (multiplexed frames unless `tty`), ending when the container
    /// stops (with `follow`) or when the log so far is sent. Cancel the consuming task to stop following.
    public func logStream(_ id: String, tail: String = "all", follow: Bool = true) -> AsyncThrowingStream<[UInt8], Error> {
        logStream(id, LogOptions(tail: tail, follow: follow))
    }

    public func logStream(_ id: String, _ options: LogOptions) -> AsyncThrowingStream<[UInt8], Error> {
        chunks(.GET, "/containers/\(id)/logs", query: options.query)
    }

    // MARK: events

    /// Engine events matching `filters`, from `since` (seconds since the epoch) on; never ends by itself.
    public func events(since: Int? = nil, filters: [String: [String]] = [:]) -> AsyncThrowingStream<EngineEvent, Error> {
        events(since: since.map(String.init), until: nil, filters: filters)
    }

    /// Engine events between two Unix timestamps (either may be nil); the stream ends at `until`.
    public func events(since: String?, until: String?, filters: [String: [String]] = [:]) -> AsyncThrowingStream<EngineEvent, Error> {
        var query: [(String, String)] = []
        if let since { query.append(("since", since)) }
        if let until { query.append(("until", until)) }
        if !filters.isEmpty { query.append(("filters", Self.filters(filters))) }
        let raw = chunks(.GET, "/events", query: query)
        return AsyncThrowingStream { continuation in
            let task = Task {
                var pending = Data()
                do {
                    for try await chunk in raw {
                        pending.append(contentsOf: chunk)
                        while let newline = pending.firstIndex(of: 0x0A) {
                            let line = Data(pending[pending.startIndex..<newline])
                            pending = Data(pending[pending.index(after: newline)...])
                            if let json = try? JSONValue.parse(line) { continuation.yield(EngineEvent(json: json)) }
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// A streaming response as an async sequence of chunks; ending the consumer cancels the request.
    func chunks(_ method: Method, _ path: String, query: [(String, String)]) -> AsyncThrowingStream<[UInt8], Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.stream(method, path, query: query) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    // MARK: networks

    public func listNetworks(filters: [String: [String]] = [:]) async throws -> [NetworkSummary] {
        let query = filters.isEmpty ? [] : [("filters", Self.filters(filters))]
        return (try await send(.GET, "/networks", query: query).json().array ?? []).map(NetworkSummary.init(json:))
    }

    /// A network with its attached containers, or nil when it does not exist.
    public func inspectNetwork(_ id: String) async throws -> NetworkSummary? {
        let response = try await send(.GET, "/networks/\(id)", allowing: [404])
        return response.status == 404 ? nil : NetworkSummary(json: try response.json())
    }

    public func createNetwork(_ body: JSONValue) async throws -> String {
        try await send(.POST, "/networks/create", body: body).json()["Id"]?.string ?? ""
    }

    /// Removes a network. The engine releases the endpoints of just-removed containers a moment later, and engine
    /// 20.10 sometimes keeps a stale endpoint for good after parallel removals: endpoints still listed are
    /// force-disconnected, and "has active endpoints" is retried for up to five seconds before it is reported.
    public func removeNetwork(_ id: String) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            do {
                _ = try await send(.DELETE, "/networks/\(id)", allowing: [404])
                return
            } catch let error as DockerError where error.status == 403 && error.message.contains("active endpoints") && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                for container in (try? await inspectNetwork(id))?.containers ?? [] {
                    try? await disconnectNetwork(id, container: container, force: true)
                }
            }
        }
    }

    public func connectNetwork(_ network: String, container: String, endpoint: JSONValue) async throws {
        _ = try await send(.POST, "/networks/\(network)/connect", body: ["Container": .string(container), "EndpointConfig": endpoint])
    }

    public func disconnectNetwork(_ network: String, container: String, force: Bool = false) async throws {
        _ = try await send(.POST, "/networks/\(network)/disconnect", body: ["Container": .string(container), "Force": .bool(force)])
    }

    // MARK: volumes

    public func listVolumes(filters: [String: [String]] = [:]) async throws -> [VolumeSummary] {
        let query = filters.isEmpty ? [] : [("filters", Self.filters(filters))]
        return (try await send(.GET, "/volumes", query: query).json()["Volumes"]?.array ?? []).map(VolumeSummary.init(json:))
    }

    public func createVolume(_ body: JSONValue) async throws {
        _ = try await send(.POST, "/volumes/create", body: body)
    }

    public func removeVolume(_ name: String) async throws {
        _ = try await send(.DELETE, "/volumes/\(name)")
    }

    // MARK: images

    /// The image's details, or nil when the engine does not have it.
    public func inspectImage(_ reference: String) async throws -> ImageDetails? {
        let response = try await send(.GET, "/images/\(reference)/json", allowing: [404])
        return response.status == 404 ? nil : ImageDetails(json: try response.json())
    }

    public func removeImage(_ reference: String, force: Bool = false) async throws {
        _ = try await send(.DELETE, "/images/\(reference)", query: [("force", force ? "1" : "0")])
    }

    /// Pulls an image (by tag or by digest); `progress` gets each event of the engine's stream as it arrives. An
    /// error inside the stream (a wrong password, a missing tag) is thrown as `DockerError.engine`.
    public func pullImage(_ reference: String, auth: RegistryAuth? = nil, progress: @Sendable (ImageProgress) -> Void = { _ in }) async throws {
        let parsed = ImageReference(reference)
        try await imageStream(.POST, "/images/create", query: [("fromImage", parsed.name), ("tag", parsed.apiTag)], auth: auth, progress: progress)
    }

    /// Pushes an image (`name:tag`) to its registry.
    public func pushImage(_ reference: String, auth: RegistryAuth? = nil, progress: @Sendable (ImageProgress) -> Void = { _ in }) async throws {
        let parsed = ImageReference(reference)
        try await imageStream(.POST, "/images/\(parsed.name)/push", query: [("tag", parsed.tag ?? "latest")], auth: auth, progress: progress)
    }

    /// The digest the registry gives for a reference now (`GET /distribution/{name}/json`), without pulling.
    public func distributionDigest(_ reference: String, auth: RegistryAuth? = nil) async throws -> String {
        let response = try await send(.GET, "/distribution/\(reference)/json", headers: [("X-Registry-Auth", auth?.header ?? "e30=")])
        guard let digest = try response.json()["Descriptor"]?["digest"]?.string else { throw DockerError.invalidResponse("no Descriptor.digest for \(reference)") }
        return digest
    }

    /// Extracts a tar archive into a container's filesystem at `path` (`PUT /containers/{id}/archive`), before or
    /// after it starts; `copyOwnership` keeps the archive's uid and gid.
    public func putArchive(_ container: String, path: String, tar: [UInt8], copyOwnership: Bool = false) async throws {
        var query: [(String, String)] = [("path", path)]
        if copyOwnership { query.append(("copyUIDGID", "1")) }
        try await stream(.PUT, "/containers/\(container)/archive", query: query, rawBody: (tar, "application/x-tar")) { _ in }
    }

    /// Gives an image another name (`POST /images/{name}/tag`).
    public func tagImage(_ source: String, as target: String) async throws {
        let parsed = ImageReference(target)
        _ = try await send(.POST, "/images/\(source)/tag", query: [("repo", parsed.name), ("tag", parsed.tag ?? "latest")])
    }

    /// A pull or push stream: one JSON object per line, `error` inside the stream ends it.
    func imageStream(_ method: Method, _ path: String, query: [(String, String)], auth: RegistryAuth?, progress: @Sendable (ImageProgress) -> Void) async throws {
        var pending = Data()
        // The engine wants the header even when there is nothing to send.
        let header = auth?.header ?? "e30="
        try await stream(method, path, query: query, rawBody: nil, headers: [("X-Registry-Auth", header)]) { chunk in
            pending.append(contentsOf: chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[pending.index(after: newline)...])
                guard let event = try? JSONValue.parse(Data(line)) else { continue }
                if let error = event["error"]?.string {
                    throw DockerError.engine(status: 500, message: error.trimmingCharacters(in: .whitespacesAndNewlines), method: method.rawValue, path: path)
                }
                if let status = event["status"]?.string {
                    progress(ImageProgress(id: event["id"]?.string, status: status, current: event["progressDetail"]?["current"]?.int,
                                           total: event["progressDetail"]?["total"]?.int, digest: event["aux"]?["Digest"]?.string))
                } else if let digest = event["aux"]?["Digest"]?.string {
                    progress(ImageProgress(id: nil, status: "digest", current: nil, total: nil, digest: digest))
                }
            }
        }
    }

    /// Builds an image from a tar of its context (`POST /build`); `progress` gets each output line. The engine's
    /// build errors arrive inside the stream and are thrown as `DockerError.engine`.
    public func buildImage(context tar: [UInt8], parameters: BuildParameters, auth: [RegistryAuth] = [],
                           progress: @Sendable (String) -> Void = { _ in }) async throws {
        let query = parameters.query
        var pending = Data()
        // The build's FROM pulls use X-Registry-Config: credentials by registry, as the CLI sends them.
        var configs: [String: JSONValue] = [:]
        for entry in auth {
            var fields: [String: JSONValue] = ["serveraddress": .string(entry.serverAddress)]
            if let username = entry.username { fields["username"] = .string(username) }
            if let password = entry.password { fields["password"] = .string(password) }
            if let token = entry.identityToken { fields["identitytoken"] = .string(token) }
            configs[entry.serverAddress] = .object(fields)
        }
        let registryConfig = (try? JSONValue.object(configs).encoded())?.base64EncodedString() ?? "e30="
        try await stream(.POST, "/build", query: query, rawBody: (tar, "application/x-tar"), headers: [("X-Registry-Config", registryConfig)]) { chunk in
            pending.append(contentsOf: chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = Data(pending[pending.startIndex..<newline])
                pending = Data(pending[pending.index(after: newline)...])
                guard let event = try? JSONValue.parse(line) else { continue }
                if let error = event["error"]?.string {
                    throw DockerError.engine(status: 500, message: error.trimmingCharacters(in: .whitespacesAndNewlines), method: "POST", path: "/build")
                }
                if let text = event["stream"]?.string {
                    for part in text.split(separator: "\n") where !part.trimmingCharacters(in: .whitespaces).isEmpty { progress(String(part)) }
                }
            }
        }
    }
}

extension DockerClient {
    /// The processes of a running container, as `ps` lists them: the column titles and one row per process.
    public func top(_ id: String) async throws -> (titles: [String], processes: [[String]]) {
        let answer = try await send(.GET, "/containers/\(id)/top").json()
        let titles = answer["Titles"]?.array?.compactMap(\.string) ?? []
        let processes = answer["Processes"]?.array?.map { $0.array?.compactMap(\.string) ?? [] } ?? []
        return (titles, processes)
    }
}

extension DockerClient {
    /// What `HEAD /containers/{id}/archive` says of a path in a container (its `X-Docker-Container-Path-Stat`).
    public struct PathStat: Sendable, Hashable {
        public var name: String
        public var size: Int
        /// Go's `os.FileMode`: permission bits, with the type in the high bits.
        public var mode: UInt32
        public var linkTarget: String
        public var isDirectory: Bool { mode & (1 << 31) != 0 }
        public var isSymlink: Bool { mode & (1 << 27) != 0 }
    }

    /// Stats a path in a container (running or not); nil when it does not exist.
    public func statPath(_ container: String, path: String) async throws -> PathStat? {
        let response = try await send(.HEAD, "/containers/\(container)/archive", query: [("path", path)], allowing: [404])
        guard response.status != 404 else { return nil }
        guard let header = response.headers.first(where: { $0.0.lowercased() == "x-docker-container-path-stat" })?.1,
              let data = Data(base64Encoded: header), let stat = try? JSONValue.parse(data) else {
            throw DockerError.invalidResponse("no path stat for \(path)")
        }
        return PathStat(name: stat["name"]?.string ?? "", size: stat["size"]?.int ?? 0, mode: UInt32(truncatingIfNeeded: stat["mode"]?.int ?? 0),
                        linkTarget: stat["linkTarget"]?.string ?? "")
    }

    /// A tar of a path in a container, named by its last component (`GET /containers/{id}/archive`).
    public func getArchive(_ container: String, path: String) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        try await stream(.GET, "/containers/\(container)/archive", query: [("path", path)]) { bytes += $0 }
        return bytes
    }

    /// Extracts a tar into a directory of a container, refusing to put a directory over a file and the other way
    /// round, as `docker cp` does.
    public func extractArchive(_ container: String, into directory: String, tar: [UInt8], copyOwnership: Bool) async throws {
        var query: [(String, String)] = [("path", directory), ("noOverwriteDirNonDir", "true")]
        if copyOwnership { query.append(("copyUIDGID", "true")) }
        try await stream(.PUT, "/containers/\(container)/archive", query: query, rawBody: (tar, "application/x-tar")) { _ in }
    }
}

extension DockerClient {
    /// One sample of a container's resource use (`GET /containers/{id}/stats?stream=false`), with the sample before it.
    public func stats(_ id: String) async throws -> JSONValue {
        try await send(.GET, "/containers/\(id)/stats", query: [("stream", "false")]).json()
    }
}

extension DockerClient {
    /// An image as `GET /images/json` lists it.
    public struct ImageSummary: Sendable, Hashable {
        public var id: String
        public var repoTags: [String]
        public var labels: [String: String]
    }

    /// The engine's images matching `filters` (`{"label": ["k=v"]}`, `{"dangling": ["false"]}`).
    public func listImages(filters: [String: [String]] = [:]) async throws -> [ImageSummary] {
        let query = filters.isEmpty ? [] : [("filters", Self.filters(filters))]
        return (try await send(.GET, "/images/json", query: query).json().array ?? []).map { image in
            ImageSummary(id: image["Id"]?.string ?? "", repoTags: (image["RepoTags"]?.array ?? []).compactMap(\.string).filter { $0 != "<none>:<none>" },
                         labels: image["Labels"]?.stringMap ?? [:])
        }
    }
}
