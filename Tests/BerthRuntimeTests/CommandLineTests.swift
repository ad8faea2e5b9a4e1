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
        // `berth help up` is the help of `up`, not `up` with a service called help.
        let help = try project.berth(["help", "up"])
        #expect(help.status == 0 && help.out.contains("USAGE: berth up"), "\(help.out)\(help.err)")
        // A docker compose command Berth lacks is refused by name, wherever the global options put it.
        for arguments in [["watch"], ["-f", "compose.yaml", "viz"], ["-p", "x", "publish", "repo"], ["export", "web"]] {
            let refused = try project.berth(arguments)
            #expect(refused.status == 64 && refused.err.contains("berth does not support '\(arguments.first { !$0.hasPrefix("-") && $0 != "compose.yaml" && $0 != "x" } ?? "")' yet"),
                    "\(arguments): \(refused.err)")
        }
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

    /// A file that fails to load still gives machine output: a YAML syntax error is a JSON entry, a SARIF result and an
    /// `::error` line, on stdout, with the exit code of a failed check.
    @Test func loadFailuresReachEveryMachineFormat() throws {
        let project = try EngineProject("services:\n  web: {image: x, ports: [\"80:80\"\n")
        for format in ["json", "sarif", "github"] {
            let result = try project.berth(["check", "--no-engine", "--no-host-scan", "--format", format])
            #expect(result.status == 1, "\(format)")
            #expect(result.err.isEmpty, "\(format): stderr \(result.err)")
            switch format {
            case "json":
                let document = try JSONValue.parse(Data(result.out.utf8))
                #expect(document["diagnostics"]?.array?.first?["code"]?.string == "yaml-syntax", "\(result.out)")
                #expect(document["summary"]?["errors"]?.int == 1)
            case "sarif":
                let document = try JSONValue.parse(Data(result.out.utf8))
                let first = document["runs"]?.array?.first?["results"]?.array?.first
                #expect(first?["ruleId"]?.string == "yaml-syntax", "\(result.out)")
                #expect(first?["locations"]?.array?.first?["physicalLocation"]?["region"]?["startLine"]?.int != nil)
            default:
                #expect(result.out.hasPrefix("::error file=compose.yaml,line="), "\(result.out)")
                #expect(result.out.contains("title=berth yaml-syntax::"), "\(result.out)")
            }
        }
    }

    /// Workflow-command properties are escaped as the Actions runner reads them: a ',' or ':' in a path would otherwise
    /// end the property or the command.
    @Test func annotationPathsAreEscaped() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("berth a,b::c %2C-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let file = parent.appendingPathComponent("compose.yaml")
        try Data("services:\n  a: {image: x, network_mode: host, ports: [\"9090:9090\"]}\n  b: {image: x, network_mode: host, ports: [\"9090:9090\"]}\n".utf8).write(to: file)
        let project = try EngineProject("services: {}\n")
        let result = try project.berth(["check", "--no-engine", "--no-host-scan", "--format", "github", "-f", file.path])
        #expect(result.status == 1)
        let line = try #require(result.out.split(separator: "\n").first.map(String.init))
        let escaped = file.path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        #expect(line.hasPrefix("::error file=\(escaped),line=3,col="), "\(line)")
    }

    /// `ports`: a container-port column, a range as one row, a random host port as `random`, replicas once with their
    /// count, and the conflict named.
    @Test func portsTable() throws {
        let project = try EngineProject("""
        services:
          web: {image: x, ports: ["8000-8010:80", "9000-9999:9000-9999", "127.0.0.1::53/udp"], scale: 3}
          api: {image: x, ports: ["7000:7000"]}
          dup: {image: x, ports: ["7000:7001"]}
        """)
        let result = try project.berth(["ports", "--no-engine", "--no-host-scan"])
        let rows = result.out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first == ["SERVICE", "REPLICAS", "ADDRESS", "HOST", "PORT", "CONTAINER", "PORT", "PROTO", "NETWORK", "FROM", "DECLARED", "AT", "CONFLICT"])
        #expect(rows.count == 6, "\(result.out)")
        #expect(rows.contains { $0.prefix(9) == ["web", "3", "*", "8000-8010", "80", "tcp", "bridge", "ports", "compose.yaml:2:27"] }, "\(result.out)")
        #expect(rows.contains { $0.prefix(5) == ["web", "3", "*", "9000-9999", "9000-9999"] }, "\(result.out)")
        #expect(rows.contains { $0.prefix(6) == ["web", "3", "127.0.0.1", "random", "53", "udp"] }, "\(result.out)")
        #expect(rows.contains { $0.first == "dup" && $0.last == "api" && $0.dropLast().last == "with" }, "\(result.out)")
        #expect(result.status == 1)
    }

    /// `berth config` piped into `berth -f - config` prints the same text: every accepted key has one canonical form,
    /// and `-f -` reads a pipe.
    @Test func configRoundTripThroughAPipe() throws {
        let stacks = [
            try String(contentsOf: SchemaValidation.root.appendingPathComponent("samples/web-with-health/compose.yaml"), encoding: .utf8),
            """
            services:
              a:
                image: busybox:1.36
                cpus: 0.5
                mem_limit: 64m
                ulimits: {nofile: {soft: 1024, hard: 2048}}
                logging: {driver: json-file, options: {max-size: 10m}}
                security_opt: ["no-new-privileges:true"]
                deploy: {resources: {limits: {pids: 50}}, restart_policy: {condition: on-failure, max_attempts: 3}}
                secrets: [token]
                labels: {x: "1"}
                platform: linux/amd64
            secrets:
              token: {content: abc}
            """,
        ]
        for yaml in stacks {
            let project = try EngineProject(yaml)
            let first = try project.berth(["config"])
            #expect(first.status == 0, "\(first.err)")
            let again = try PictureTests.run([EngineProject.binary.path, "-f", "-", "config"], input: first.out, in: project.directory)
            let second = again.out
            #expect(again.status == 0)
            #expect(second == first.out, "round trip differs:\n\(first.out)\n---\n\(second)")
        }
    }

    /// `ps --format json`: one object per line with the fields `docker compose ps --format json` prints.
    @Test(.enabled(if: Engine.available, "ps json: needs a Docker engine"))
    func psJSONHasComposeShape() throws {
        let project = try EngineProject("services:\n  web: {image: busybox:1.36, command: [sleep, \"30\"], init: true, ports: [\"127.0.0.1::80\"]}\n")
        defer { _ = try? project.berth(["down", "-t", "0", "-p", project.name]) }
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        let ps = try project.berth(["ps", "--format", "json", "-p", project.name])
        let lines = ps.out.split(separator: "\n")
        #expect(lines.count == 1, "\(ps.out)")
        let object = try JSONValue.parse(Data(String(lines[0]).utf8))
        for key in ["Command", "CreatedAt", "ExitCode", "Health", "ID", "Image", "Labels", "LocalVolumes", "Mounts", "Name", "Names", "Networks",
                    "Ports", "Project", "Publishers", "RunningFor", "Service", "Size", "State", "Status"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["Service"]?.string == "web" && object["Project"]?.string == project.name && object["State"]?.string == "running")
        let publisher = try #require(object["Publishers"]?.array?.first)
        #expect(publisher["URL"]?.string == "127.0.0.1" && publisher["TargetPort"]?.int == 80 && (publisher["PublishedPort"]?.int ?? 0) > 0)
    }
}
