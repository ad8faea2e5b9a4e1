import DockerEngine
import Foundation
import Testing

/// `build` keys reach the engine's classic builder (`POST /build`): the image is built from an inline Dockerfile whose
/// `RUN` records what the build saw, and the record is read back from the image.
@Suite(.serialized) struct BuildEngineTests {
    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "build: needs a Docker engine and the docker CLI"))
    func buildKeysReachTheBuilder() throws {
        let tag = "berth-build-\(UInt16.random(in: 0...UInt16.max))"
        let project = try EngineProject("""
        services:
          app:
            image: \(tag):1
            build:
              context: .
              dockerfile_inline: |
                FROM busybox:1.36
                ARG GREETING
                RUN (grep -E 'alpha|beta' /etc/hosts; ulimit -n; df -k /dev/shm | tail -1; echo "$$GREETING") > /facts
              args: {GREETING: hello}
              tags: ["\(tag):extra"]
              extra_hosts: ["alpha:10.1.2.3", "beta=10.1.2.4"]
              shm_size: 32m
              ulimits: {nofile: 1234}
              network: host
              cache_from: ["busybox:1.36"]
              isolation: default
            command: [sleep, "5"]
        """)
        defer {
            _ = try? project.berth(["down", "-t", "0", "-p", project.name])
            _ = try? CIIntegrationTests.shell(["docker", "rmi", "-f", "\(tag):1", "\(tag):extra"], in: URL(fileURLWithPath: "/"))
        }
        let build = try project.berth(["build", "-p", project.name])
        #expect(build.status == 0, "\(build.err)")
        let facts = try CIIntegrationTests.shell(["docker", "run", "--rm", "\(tag):extra", "cat", "/facts"], in: URL(fileURLWithPath: "/"))
        let lines = facts.out.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        #expect(lines.contains("10.1.2.3 alpha") && lines.contains("10.1.2.4 beta"), "\(facts.out)")  // extrahosts
        #expect(lines.contains("1234"), "\(facts.out)")  // ulimits
        #expect(lines.contains { $0.hasPrefix("shm 32768") }, "\(facts.out)")  // shmsize
        #expect(lines.contains("hello"), "\(facts.out)")  // buildargs
        // Both lines at once are an error, as in compose-go.
        let both = try EngineProject("services:\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile\n      dockerfile_inline: FROM busybox:1.36\n")
        let check = try both.berth(["check", "--no-engine", "-p", both.name])
        #expect(check.status != 0 && check.err.contains("compose.yaml:5:") && check.err.contains("compose.yaml:6:"), "\(check.err)")
    }
}
