import DockerEngine
import Foundation
import Testing

/// Images against real registries (`scripts/start-registry.sh`: Debian's distribution registry 2.8, open on
/// 127.0.0.1:5000 and with basic auth on 127.0.0.1:5001), with credentials from `auths` and from a real credential
/// helper (`docker-credential-pass`, `scripts/make-credential-store.sh`).
@Suite(.serialized) struct RegistryTests {
    static let open = "127.0.0.1:5000", secured = "127.0.0.1:5001"
    static let available = Engine.available && httpGet(port: 5000) != nil
    static let helperAvailable = PictureTests.tool("docker-credential-pass") != nil && PictureTests.tool("pass") != nil

    /// A project whose `app` service builds `FROM busybox:1.36` and is named for the open registry.
    static func project(_ extra: String = "", repository: String) throws -> EngineProject {
        let project = try EngineProject("""
        services:
          app:
            image: \(open)/\(repository):1
            build: ./app
        \(extra)
        """)
        try FileManager.default.createDirectory(at: project.directory.appendingPathComponent("app"), withIntermediateDirectories: true)
        try Data("FROM busybox:1.36\nLABEL made-by=berth-test-\(UUID().uuidString)\n".utf8).write(to: project.directory.appendingPathComponent("app/Dockerfile"))
        return project
    }

    static func docker(_ arguments: [String]) throws -> (status: Int32, out: String) {
        try CIIntegrationTests.shell(["docker"] + arguments, in: URL(fileURLWithPath: "/"))
    }

    static func imageID(_ reference: String) throws -> String? {
        let result = try docker(["image", "inspect", "-f", "{{.Id}}", reference])
        return result.status == 0 ? result.out.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// Build, push, remove, pull back; then by digest, and `config --resolve-image-digests` pins the same digest.
    @Test(.enabled(if: available, "registry: needs scripts/start-registry.sh and a Docker engine"))
    func pushAndPullBackAndByDigest() throws {
        let repository = "berth-test-\(UInt32.random(in: 0...UInt32.max))"
        let project = try Self.project(repository: repository)
        let reference = "\(Self.open)/\(repository):1"
        #expect(try project.berth(["build", "-q"]).status == 0)
        let built = try #require(try Self.imageID(reference))
        let push = try project.berth(["push", "--progress", "plain"])
        #expect(push.status == 0, "\(push.err)")
        #expect(push.err.contains("Image \(reference)  Pushed sha256:"), "\(push.err)")
        _ = try Self.docker(["rmi", reference])
        #expect(try Self.imageID(reference) == nil)
        let pull = try project.berth(["pull", "--progress", "plain"])
        #expect(pull.status == 0, "\(pull.err)")
        #expect(try Self.imageID(reference) == built)

        let pinned = try project.berth(["config", "--resolve-image-digests"])
        let digest = try #require(pinned.out.range(of: #"sha256:[0-9a-f]{64}"#, options: .regularExpression).map { String(pinned.out[$0]) }, "\(pinned.out)\(pinned.err)")
        #expect(pinned.out.contains("image: \(reference)@\(digest)"), "\(pinned.out)")
        _ = try Self.docker(["rmi", reference])
        let byDigest = try EngineProject("services:\n  app: {image: \"\(Self.open)/\(repository)@\(digest)\", command: [\"true\"]}\n")
        let pulled = try byDigest.berth(["pull", "--progress", "plain"])
        #expect(pulled.status == 0, "\(pulled.err)")
        #expect(try Self.imageID("\(Self.open)/\(repository)@\(digest)") == built)
    }

    /// Each pull_policy, through `plan` (what up would do) and `up` (what it does).
    @Test(.enabled(if: available, "registry: needs scripts/start-registry.sh and a Docker engine"))
    func everyPullPolicy() throws {
        let repository = "berth-policy-\(UInt32.random(in: 0...UInt32.max))"
        let seed = try Self.project(repository: repository)
        #expect(try seed.berth(["build", "-q"]).status == 0)
        #expect(try seed.berth(["push", "-q"]).status == 0)
        let reference = "\(Self.open)/\(repository):1"
        func plannedPull(_ policy: String) throws -> (action: String?, status: Int32, out: String) {
            let project = try EngineProject("services:\n  app: {image: \"\(reference)\", pull_policy: \(policy), command: [sleep, \"30\"], init: true}\n")
            let plan = try project.berth(["plan", "--format", "json"])
            let json = try JSONValue.parse(Data(plan.out.utf8))
            return (json["images"]?.array?.first?["action"]?.string, plan.status, plan.out + plan.err)
        }
        // Present (just built): missing and build and never do nothing; always pulls; a refresh window pulls once it
        // has passed since the image was last tagged.
        #expect(try plannedPull("missing").action == nil)
        #expect(try plannedPull("if_not_present").action == nil)
        #expect(try plannedPull("always").action == "pull")
        #expect(try plannedPull("never").action == nil)
        #expect(try Self.docker(["tag", reference, reference]).status == 0)  // LastTagTime = now
        #expect(try plannedPull("daily").action == nil)
        #expect(try plannedPull("every_1h30m").action == nil)
        Thread.sleep(forTimeInterval: 2.1)
        let due = try plannedPull("every_2s")
        #expect(due.action == "pull", "\(due.out)")
        // `up` with that policy pulls, and records the pull: right after, the window has not passed.
        let project = try EngineProject("services:\n  app: {image: \"\(reference)\", pull_policy: every_1h, command: [sleep, \"30\"], init: true}\n")
        defer { _ = try? project.berth(["down", "-t", "0"]) }
        _ = try Self.docker(["rmi", reference])
        #expect(try plannedPull("every_1h").action == "pull")
        #expect(try project.berth(["up", "-d"]).status == 0)
        #expect(try plannedPull("every_1h").action == nil)
        #expect(try plannedPull("weekly").action == nil)
        // Absent: never is refused at the line; missing pulls.
        _ = try Self.docker(["rmi", "-f", reference])
        let never = try plannedPull("never")
        #expect(never.status == 1 && never.out.contains("missing-image"), "\(never.out)")
        #expect(try plannedPull("missing").action == "pull")
        #expect(try plannedPull("every_bogus").status == 1)
    }

    /// The auth registry: credentials from `auths` (as `docker login` writes them) and from the credential helper;
    /// without them, or with a wrong password, the error says so at the image's line.
    @Test(.enabled(if: available && helperAvailable, "registry auth: needs scripts/start-registry.sh and docker-credential-pass (scripts/install-deps.sh)"))
    func credentials() throws {
        let repository = "berth-auth-\(UInt32.random(in: 0...UInt32.max))"
        let reference = "\(Self.secured)/\(repository):1"
        let project = try EngineProject("""
        services:
          app:
            image: \(reference)
            build: ./app
        """)
        try FileManager.default.createDirectory(at: project.directory.appendingPathComponent("app"), withIntermediateDirectories: true)
        try Data("FROM busybox:1.36\nLABEL made-by=berth-auth-\(UUID().uuidString)\n".utf8).write(to: project.directory.appendingPathComponent("app/Dockerfile"))
        let config = project.directory.appendingPathComponent("docker-config")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        func write(_ json: String) throws { try Data(json.utf8).write(to: config.appendingPathComponent("config.json")) }
        let environment = ["DOCKER_CONFIG": config.path]
        #expect(try project.berth(["build", "-q"], environment: environment).status == 0)

        try write("{}")
        let anonymous = try project.berth(["push", "--progress", "plain"], environment: environment)
        #expect(anonymous.status == 1 && anonymous.err.contains("compose.yaml:3:12: error:"), "\(anonymous.err)")

        let good = Data("berth:berth-secret".utf8).base64EncodedString(), bad = Data("berth:wrong".utf8).base64EncodedString()
        try write("{\"auths\": {\"\(Self.secured)\": {\"auth\": \"\(bad)\"}}}")
        let wrong = try project.berth(["push", "--progress", "plain"], environment: environment)
        #expect(wrong.status == 1 && wrong.err.contains("compose.yaml:3:12: error:") && wrong.err.lowercased().contains("auth"), "\(wrong.err)")

        try write("{\"auths\": {\"\(Self.secured)\": {\"auth\": \"\(good)\"}}}")
        #expect(try project.berth(["push", "-q"], environment: environment).status == 0)
        _ = try Self.docker(["rmi", reference])
        #expect(try project.berth(["pull", "-q"], environment: environment).status == 0)
        #expect(try Self.imageID(reference) != nil)

        // The credential helper: config.json names only `credsStore: pass`; the secret is in the password store.
        let store = URL(fileURLWithPath: "/tmp/berth-cs-\(UInt16.random(in: 0...UInt16.max))")
        defer {
            _ = try? CIIntegrationTests.shell(["gpgconf", "--kill", "gpg-agent"], in: URL(fileURLWithPath: "/"), environment: ["GNUPGHOME": store.path + "/gnupg"])
            try? FileManager.default.removeItem(at: store)
        }
        let made = try CIIntegrationTests.shell(["bash", SchemaValidation.root.appendingPathComponent("scripts/make-credential-store.sh").path, store.path],
                                                in: URL(fileURLWithPath: "/"))
        #expect(made.status == 0, "\(made.out)")
        let helperEnvironment = ["DOCKER_CONFIG": store.path + "/docker", "GNUPGHOME": store.path + "/gnupg", "PASSWORD_STORE_DIR": store.path + "/password-store"]
        _ = try Self.docker(["rmi", reference])
        let viaHelper = try project.berth(["pull", "--progress", "plain"], environment: helperEnvironment)
        #expect(viaHelper.status == 0, "\(viaHelper.err)")
        #expect(try Self.imageID(reference) != nil)
        // A helper that is not installed is an error that names it, not an anonymous pull.
        try Data("{\"credsStore\": \"nosuch\"}".utf8).write(to: URL(fileURLWithPath: store.path + "/docker/config.json"))
        let missing = try project.berth(["pull"], environment: helperEnvironment)
        #expect(missing.status == 1 && missing.err.contains("docker-credential-nosuch") && missing.err.contains("[registry-credentials]"), "\(missing.err)")
    }

    /// Several images pull at once: each starts before the first one is done, with layer lines in plain progress.
    @Test(.enabled(if: available, "registry: needs scripts/start-registry.sh and a Docker engine"))
    func parallelPullsShowProgress() throws {
        var references: [String] = []
        for index in 0..<3 {
            let repository = "berth-par-\(index)-\(UInt32.random(in: 0...UInt32.max))"
            let seed = try Self.project(repository: repository)
            #expect(try seed.berth(["build", "-q"]).status == 0)
            #expect(try seed.berth(["push", "-q"]).status == 0)
            references.append("\(Self.open)/\(repository):1")
            _ = try Self.docker(["rmi", references.last!])
        }
        let yaml = "services:\n" + references.enumerated().map { "  s\($0.offset): {image: \"\($0.element)\"}\n" }.joined()
        let project = try EngineProject(yaml)
        let pull = try project.berth(["pull", "--progress", "plain"])
        #expect(pull.status == 0, "\(pull.err)")
        let lines = pull.err.split(separator: "\n").map(String.init)
        let starts = lines.indices.filter { lines[$0].hasSuffix("  Pulling") }
        let firstDone = lines.firstIndex { $0.hasPrefix("Image ") && $0.contains("  Pulled") }
        #expect(starts.count == 3 && firstDone != nil && starts.allSatisfy { $0 < firstDone! }, "\(pull.err)")
        #expect(lines.contains { $0.hasPrefix("Layer ") }, "\(pull.err)")
        for reference in references { #expect(try Self.imageID(reference) != nil) }
    }
}
