import DockerEngine
import Foundation
import Testing

/// The berth binary as a user runs it: exit codes, output formats, Compose's global options.
@Suite struct CommandLineTests {
    @Test func exitCodes() throws {
        let line = "  web: {image: x, ports: [\"99999:80\"]}"
        let project = try EngineProject("services:\n\(line)\n")
        let column = line.distance(from: line.startIndex, to: line.firstIndex(of: "\"")!) + 1
        let invalid = try project.berth(["config", "-q"])
        #expect(invalid.status == 1)
        #expect(invalid.err.contains("compose.yaml:2:\(column): error:"), "\(invalid.err)")
        #expect(try project.berth(["config", "--format", "xml"]).status == 64)
        #expect(try project.berth(["no-such-command"]).status == 64)
        #expect(try project.berth(["up", "--force-recreate", "--no-recreate"]).status == 64)
    }

    @Test func globalOptionsBeforeTheCommandAndFromTheEnvironment() throws {
        let project = try EngineProject("services:\n  web: {image: x}\n", extra: ["other.yaml": "services:\n  api: {image: y}\n"])
        let services = try project.berth(["-f", "other.yaml", "-p", "custom", "config", "--services"])
        #expect(services.status == 0 && services.out == "api\n", "\(services.err)")
        let fromEnvironment = try project.berth(["config", "--services"], environment: ["COMPOSE_FILE": "compose.yaml:other.yaml"])
        #expect(fromEnvironment.out == "web\napi\n" || fromEnvironment.out == "api\nweb\n", "\(fromEnvironment.out)\(fromEnvironment.err)")
        let named = try project.berth(["config", "--format", "json"], environment: ["COMPOSE_PROJECT_NAME": "fromenv"])
        #expect(named.out.contains("\"name\": \"fromenv\""))
        let elsewhere = try project.berth(["--project-directory", project.directory.path, "-f", project.directory.appendingPathComponent("compose.yaml").path, "config", "--format", "json"])
        #expect(elsewhere.status == 0)
    }

    @Test func sarifAndGithubFormats() throws {
        let project = try EngineProject("""
        services:
          a: {image: x, network_mode: host, ports: ["9090:9090"]}
          b: {image: x, network_mode: host, ports: ["9090:9090"]}
        """)
        let sarif = try project.berth(["check", "--no-engine", "--no-host-scan", "--format", "sarif"])
        #expect(sarif.status == 1)
        let document = try JSONValue.parse(Data(sarif.out.utf8))
        #expect(document["version"]?.string == "2.1.0")
        let result = try #require(document["runs"]?.array?.first?["results"]?.array?.first)
        #expect(result["ruleId"]?.string == "port-conflict")
        #expect(result["locations"]?.array?.first?["physicalLocation"]?["region"]?["startLine"]?.int == 3)
        #expect(result["relatedLocations"]?.array?.first?["physicalLocation"]?["region"]?["startLine"]?.int == 2)
        let github = try project.berth(["check", "--no-engine", "--no-host-scan", "--format", "github"])
        #expect(github.out.hasPrefix("::error file="), "\(github.out)")
        #expect(github.out.contains("line=3,col="))
        let strict = try EngineProject("services:\n  a: {image: x, network_mode: host, privileged: true}\n")
        #expect(try strict.berth(["check", "--no-engine", "--no-host-scan"]).status == 0)
        #expect(try strict.berth(["check", "--no-engine", "--no-host-scan", "--strict"]).status == 1)
    }
}
