import Foundation
import Testing

/// Berth installed as a docker CLI plugin (`$DOCKER_CONFIG/cli-plugins/docker-berth`), run by the real docker CLI:
/// the CLI lists it from its metadata, passes its own global options, and `--context`/`-H` choose the engine.
@Suite(.serialized) struct DockerPluginTests {
    static let dockerCLI = PictureTests.tool("docker")

    struct PluginConfig {
        let directory: URL
        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("berth-plugin-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("cli-plugins"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("cli-plugins/docker-berth"), withDestinationURL: EngineProject.binary)
        }

        func docker(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, out: String) {
            try CIIntegrationTests.shell(["docker"] + arguments, in: directory ?? self.directory, environment: ["DOCKER_CONFIG": self.directory.path])
        }
    }

    @Test(.enabled(if: dockerCLI != nil, "plugin: needs the docker CLI"), .enabled(if: Engine.available, "plugin: needs a Docker engine"))
    func dockerBerth() throws {
        let config = try PluginConfig()
        defer { try? FileManager.default.removeItem(at: config.directory) }
        let version = try config.docker(["berth", "version"])
        #expect(version.status == 0 && version.out.contains("Berth version"), "\(version.out)")
        let help = try config.docker(["--help"])
        #expect(help.out.contains("berth*") && help.out.contains("Compose-compatible"), "\(help.out)")

        // A project with one running container, seen through a context that points at the local engine.
        let project = try EngineProject("services:\n  a: {image: busybox:1.36, command: [sleep, \"60\"], init: true}\n")
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        #expect(try config.docker(["context", "create", "here", "--docker", "host=unix:///var/run/docker.sock"]).status == 0)
        let ps = try config.docker(["--context", "here", "berth", "-p", project.name, "ps"], in: project.directory)
        #expect(ps.status == 0 && ps.out.contains("\(project.name)-a-1"), "\(ps.out)")
        // A context at a dead endpoint: an error that names the context, not the local engine's answer.
        #expect(try config.docker(["context", "create", "dead", "--docker", "host=tcp://127.0.0.1:1"]).status == 0)
        let dead = try config.docker(["--context", "dead", "berth", "-p", project.name, "ps"], in: project.directory)
        #expect(dead.status == 1 && dead.out.contains("docker context 'dead'") && !dead.out.contains("\(project.name)-a-1"), "\(dead.out)")
        let host = try config.docker(["-H", "tcp://127.0.0.1:1", "berth", "-p", project.name, "ps"], in: project.directory)
        #expect(host.status == 1 && host.out.contains("tcp://127.0.0.1:1"), "\(host.out)")
        // -c is docker's short --context; `--context=dead` its other spelling.
        let short = try config.docker(["-c", "here", "berth", "-p", project.name, "ps"], in: project.directory)
        #expect(short.status == 0 && short.out.contains("\(project.name)-a-1"), "\(short.out)")
        let equals = try config.docker(["--context=dead", "berth", "-p", project.name, "ps"], in: project.directory)
        #expect(equals.status == 1 && equals.out.contains("docker context 'dead'"), "\(equals.out)")
    }
}
