import BerthTestSupport
import DockerEngine
import Foundation
import Testing

/// Every machine format of `check`, on the samples, on each bad-input fixture and on a project whose directory name
/// holds a space, a comma, `%2C`, `::` and a non-ASCII letter, inside a git repository and run from a subdirectory:
/// SARIF validates against the official schema with URIs relative to the repository root, JSON against
/// `schemas/check.schema.json`, and every annotation parses back under the runner's rules to the same file, line,
/// column and message as the JSON says.
@Suite(.serialized) struct ReportFormatTests {
    static let badInputs: [(name: String, yaml: String)] = BadInputFixtures.loadErrors.map { ("load-\($0.code)", MarkedYAML($0.marked).text) } + [
        ("yaml-syntax", "services:\n  web: {image: x, ports: [\"80:80\"\n"),
        ("duplicate-key", "services:\n  web:\n    image: x\n    image: y\n"),
        ("invalid-port", "services:\n  web:\n    image: x\n    ports: [\"99999:80\"]\n"),
        ("unknown-key", "services:\n  web:\n    image: x\n    restrat: always\n"),
        ("interpolation", "services:\n  web:\n    image: \"${TAG:?TAG must be set}\"\n"),
        ("missing-env-file", "services:\n  web:\n    image: x\n    env_file: [nope.env]\n"),
        ("port-conflict", "services:\n  a: {image: x, network_mode: host, ports: [\"9090:9090\"]}\n  b: {image: x, network_mode: host, ports: [\"9090:9090\"]}\n"),
        ("replicas", "services:\n  web:\n    image: x\n    ports: [\"8080:80\"]\n    deploy: {replicas: 3}\n"),
        ("subnet-overlap", "services:\n  a: {image: x, networks: [n1, n2]}\nnetworks:\n  n1: {ipam: {config: [{subnet: 10.10.0.0/16}]}}\n  n2: {ipam: {config: [{subnet: 10.10.128.0/24}]}}\n"),
        ("dependency-cycle", "services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n"),
        ("many", "services:\n" + (1...13).map { "  s\($0): {image: x, network_mode: host, ports: [\"7000:7000\"], privileged: true}\n" }.joined()),
    ]

    /// A git repository with the projects in `deploy/<odd name>/<case>/compose.yaml`; the checks run from `deploy`.
    struct Workspace {
        let repository: URL
        let runDirectory: URL
        let oddName = "odd dir, a %2C b::é"
        var projects: [(name: String, file: String)] = []

        init() throws {
            repository = FileManager.default.temporaryDirectory.appendingPathComponent("berth-report-\(UUID().uuidString)")
            runDirectory = repository.appendingPathComponent("deploy")
            try FileManager.default.createDirectory(at: repository.appendingPathComponent(".git"), withIntermediateDirectories: true)
            for (name, yaml) in ReportFormatTests.badInputs {
                let directory = runDirectory.appendingPathComponent(oddName).appendingPathComponent(name)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try Data(yaml.utf8).write(to: directory.appendingPathComponent("compose.yaml"))
                projects.append((name, "\(oddName)/\(name)/compose.yaml"))
            }
            for sample in ["host-network-demo", "web-with-health", "built-web"] {
                let file = SchemaValidation.root.appendingPathComponent("samples/\(sample)/compose.yaml").path
                projects.append((sample, file))
            }
        }
    }

    func check(_ workspace: Workspace, _ file: String, format: String, environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        try EngineProject.berth(["check", "--no-engine", "--no-host-scan", "--format", format, "-f", file], in: workspace.runDirectory,
                                environment: ["TAG": ""].merging(environment) { $1 })
    }

    @Test(.enabled(if: SchemaValidation.available, "report formats: need python3 with jsonschema, referencing and rfc3987 (scripts/install-deps.sh)"),
          .enabled(if: Corpus.available, "report formats: need ../shared/corpus for the official SARIF schema"))
    func everyFormatOnEveryFixture() throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.repository) }
        var sarifs: [String] = [], jsons: [String] = []
        for (name, file) in workspace.projects {
            let json = try check(workspace, file, format: "json")
            #expect(json.err.isEmpty || !json.err.contains("error"), "\(name): \(json.err)")
            jsons.append(json.out)
            let sarif = try check(workspace, file, format: "sarif")
            #expect(sarif.status == json.status, "\(name)")
            sarifs.append(sarif.out)
            let document = try JSONValue.parse(Data(json.out.utf8))
            let diagnostics = document["diagnostics"]?.array ?? []
            if ReportFormatTests.badInputs.contains(where: { $0.name == name }) {
                #expect(!diagnostics.isEmpty, "\(name): \(json.out)")
                let errors = diagnostics.contains { $0["severity"]?.string == "error" }
                #expect(json.status == (errors ? 1 : 0), "\(name): \(json.out)")
            }
            try expectSARIFPlaces(sarif.out, workspace: workspace, json: document, case: name)
            try expectAnnotationsParseBack(workspace: workspace, file: file, json: document, case: name)
        }
        let sarifVerdicts = try SchemaValidation.validate(sarifs, schema: SchemaValidation.sarifSchema)
        #expect(sarifVerdicts.count == sarifs.count && sarifVerdicts.allSatisfy { $0.hasPrefix("valid ") }, "\(sarifVerdicts)")
        let jsonVerdicts = try SchemaValidation.validate(jsons, schema: SchemaValidation.checkSchema)
        #expect(jsonVerdicts.count == jsons.count && jsonVerdicts.allSatisfy { $0.hasPrefix("valid ") }, "\(jsonVerdicts)")
    }

    /// SARIF URIs are relative to the repository root (not the current directory), percent-encoded, under
    /// `%SRCROOT%`; they decode to the files the JSON names; related locations are linked from the message.
    func expectSARIFPlaces(_ text: String, workspace: Workspace, json: JSONValue, case name: String) throws {
        let document = try JSONValue.parse(Data(text.utf8))
        let run = try #require(document["runs"]?.array?.first)
        let base = try #require(run["originalUriBaseIds"]?["%SRCROOT%"]?["uri"]?.string)
        // The root is the git top level of the project: the test repository, or Berth's own for the samples.
        let root = try #require(base.hasPrefix("file://") ? String(base.dropFirst(7)).removingPercentEncoding : nil, "\(base)")
        if !name.contains("-demo") && !name.contains("web") || ReportFormatTests.badInputs.contains(where: { $0.name == name }) {
            #expect(root == workspace.repository.path + "/", "\(name): \(base)")
        }
        #expect(run["columnKind"]?.string == "unicodeCodePoints")
        #expect(run["tool"]?["driver"]?["semanticVersion"]?.string?.isEmpty == false)
        let projectDirectory = try #require(json["projectDirectory"]?.string)
        let jsonFiles = Set((json["diagnostics"]?.array ?? []).compactMap { $0["location"]?["file"]?.string }.map {
            URL(fileURLWithPath: projectDirectory).appendingPathComponent($0).standardizedFileURL.path
        })
        let rules = Set((run["tool"]?["driver"]?["rules"]?.array ?? []).compactMap { $0["id"]?.string })
        for result in run["results"]?.array ?? [] {
            let ruleId = try #require(result["ruleId"]?.string)
            #expect(rules.contains(ruleId), "\(name): rule \(ruleId) missing")
            let artifact = try #require(result["locations"]?.array?.first?["physicalLocation"]?["artifactLocation"], "\(name): no location")
            let uri = try #require(artifact["uri"]?.string)
            if artifact["uriBaseId"]?.string == "%SRCROOT%" {
                #expect(!uri.contains(" ") && !uri.contains(",") && !uri.contains("é") && !uri.contains(":"), "\(name): \(uri)")
                let decoded = try #require(uri.removingPercentEncoding)
                let path = URL(fileURLWithPath: root).appendingPathComponent(decoded).standardizedFileURL.path
                #expect(jsonFiles.isEmpty || jsonFiles.contains(path), "\(name): \(decoded) not in \(jsonFiles)")
                #expect(FileManager.default.fileExists(atPath: path), "\(name): \(path)")
            } else {
                #expect(uri.hasPrefix("file:///"), "\(name): \(uri)")  // a sample outside the repository
            }
            let related = result["relatedLocations"]?.array ?? []
            for (index, location) in related.enumerated() {
                #expect(location["id"]?.int == index + 1)
                #expect(result["message"]?["text"]?.string?.contains("](\(index + 1))") == true, "\(name): related location \(index + 1) not linked")
            }
            #expect(result["partialFingerprints"]?["primaryLocationLineHash"]?.string?.isEmpty == false)
        }
    }

    /// Each annotation, read back under the runner's rules, names the file (relative to GITHUB_WORKSPACE), line,
    /// column and message of the JSON diagnostic in the same position; 10 of each kind are annotated and the rest
    /// reach the log and the step summary.
    func expectAnnotationsParseBack(workspace: Workspace, file: String, json: JSONValue, case name: String) throws {
        let summary = workspace.repository.appendingPathComponent("summary-\(UUID().uuidString).md")
        let github = try check(workspace, file, format: "github",
                               environment: ["GITHUB_WORKSPACE": workspace.repository.path, "GITHUB_STEP_SUMMARY": summary.path])
        let commands = github.out.split(separator: "\n").compactMap(RunnerCommand.init)
        let projectDirectory = try #require(json["projectDirectory"]?.string)
        let diagnostics = json["diagnostics"]?.array ?? []
        var perKind: [String: Int] = [:]
        var expected: [JSONValue] = []
        for d in diagnostics {
            let kind = d["severity"]?.string == "note" ? "notice" : d["severity"]?.string ?? "?"
            perKind[kind, default: 0] += 1
            if perKind[kind]! <= 10 { expected.append(d) }
        }
        #expect(commands.count == expected.count, "\(name): \(commands.count) annotations for \(expected.count) diagnostics\n\(github.out)")
        for (command, d) in zip(commands, expected) {
            let kind = d["severity"]?.string == "note" ? "notice" : d["severity"]?.string
            #expect(command.name == kind)
            #expect(command.data.hasPrefix(d["message"]?.string ?? "\u{0}"), "\(name): \(command.data)")
            #expect(command.properties["title"] == "berth \(d["code"]?.string ?? "")")
            if let location = d["location"], let relative = location["file"]?.string {
                let absolute = URL(fileURLWithPath: projectDirectory).appendingPathComponent(relative).standardizedFileURL.path
                let expectedFile = absolute.hasPrefix(workspace.repository.path + "/") ? String(absolute.dropFirst(workspace.repository.path.count + 1)) : absolute
                #expect(command.properties["file"] == expectedFile, "\(name): \(command.properties)")
                #expect(command.properties["line"] == location["line"]?.int.map(String.init))
                #expect(command.properties["col"] == location["column"]?.int.map(String.init))
            } else {
                #expect(command.properties["file"] == nil)
            }
        }
        let table = (try? String(contentsOf: summary, encoding: .utf8)) ?? ""
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("| error ") || $0.hasPrefix("| warning ") || $0.hasPrefix("| note ") }
        #expect(rows.count == diagnostics.count, "\(name): the step summary has \(rows.count) rows for \(diagnostics.count) findings")
        if diagnostics.count > expected.count {
            #expect(github.out.contains("without an annotation"), "\(name)")
        }
    }

    /// Run from a subdirectory of a git repository, URIs stay relative to the repository root; `--sarif-root`
    /// moves the root; a file outside the root gets an absolute `file:` URI.
    @Test func sarifRootAndHelp() throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.repository) }
        let file = "\(workspace.oddName)/port-conflict/compose.yaml"
        let fromRoot = try EngineProject.berth(["check", "--no-engine", "--no-host-scan", "--format", "sarif", "-f", "deploy/\(file)"], in: workspace.repository)
        let fromSub = try check(workspace, file, format: "sarif")
        func uri(_ text: String) throws -> String? {
            try JSONValue.parse(Data(text.utf8))["runs"]?.array?.first?["results"]?.array?.first?["locations"]?.array?.first?["physicalLocation"]?["artifactLocation"]?["uri"]?.string
        }
        #expect(try uri(fromRoot.out) == "deploy/odd%20dir%2C%20a%20%252C%20b%3A%3A%C3%A9/port-conflict/compose.yaml")
        #expect(try uri(fromRoot.out) == uri(fromSub.out))
        let rooted = try EngineProject.berth(["check", "--no-engine", "--no-host-scan", "--format", "sarif", "--sarif-root", ".", "-f", file], in: workspace.runDirectory)
        #expect(try uri(rooted.out)?.hasPrefix("odd%20dir") == true)
        // No help address unless one is given; with one, every rule links to it and the tool names its home.
        let driver = { (text: String) throws -> JSONValue? in try JSONValue.parse(Data(text.utf8))["runs"]?.array?.first?["tool"]?["driver"] }
        #expect(try driver(fromSub.out)?["rules"]?.array?.first?["helpUri"] == nil)
        let linked = try EngineProject.berth(["check", "--no-engine", "--no-host-scan", "--format", "sarif", "--help-base-uri", "https://example.org/berth/README.md#", "-f", file],
                                             in: workspace.runDirectory)
        #expect(try driver(linked.out)?["rules"]?.array?.first?["helpUri"]?.string == "https://example.org/berth/README.md#port-conflict")
        #expect(try driver(linked.out)?["informationUri"]?.string == "https://example.org/berth/README.md")
        let rule = try #require(try driver(linked.out)?["rules"]?.array?.first)
        for key in ["shortDescription", "fullDescription"] { #expect(rule[key]?["text"]?.string?.isEmpty == false, "\(key)") }
        #expect(rule["help"]?["markdown"]?.string?.contains("**Fix:**") == true)
        #expect(rule["defaultConfiguration"]?["level"]?.string == "error")
    }

    /// Three replicas with one fixed port are one finding that names replicas 2 and 3, in every format.
    @Test func replicasFoldIntoOneFinding() throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.repository) }
        let file = "\(workspace.oddName)/replicas/compose.yaml"
        let sarif = try JSONValue.parse(Data(try check(workspace, file, format: "sarif").out.utf8))
        let results = sarif["runs"]?.array?.first?["results"]?.array ?? []
        #expect(results.count == 1)
        #expect(results.first?["message"]?["text"]?.string?.contains("replicas 2 and 3 of service 'web'") == true, "\(results)")
        let json = try JSONValue.parse(Data(try check(workspace, file, format: "json").out.utf8))
        #expect(json["diagnostics"]?.array?.count == 1)
    }

    /// Fingerprints depend on what a finding is, not on its line number: inserting lines above it keeps them.
    @Test func fingerprintsSurviveUnrelatedEdits() throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.repository) }
        let file = "\(workspace.oddName)/port-conflict/compose.yaml"
        func fingerprints() throws -> [String] {
            let document = try JSONValue.parse(Data(try check(workspace, file, format: "sarif").out.utf8))
            return (document["runs"]?.array?.first?["results"]?.array ?? []).compactMap { $0["partialFingerprints"]?["primaryLocationLineHash"]?.string }
        }
        let before = try fingerprints()
        let path = workspace.runDirectory.appendingPathComponent(file)
        let text = try String(contentsOf: path, encoding: .utf8)
        try Data(("# a comment\nx-note: moved\n" + text).utf8).write(to: path)
        #expect(try fingerprints() == before)
        #expect(!before.isEmpty)
    }

    /// JUnit: one case per service plus `project`; errors fail their case; the XML parses.
    @Test func junit() throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.repository) }
        for (name, expectedFailures) in [("port-conflict", 1), ("yaml-syntax", 1), ("subnet-overlap", 1)] {
            let result = try check(workspace, "\(workspace.oddName)/\(name)/compose.yaml", format: "junit")
            #expect(result.status == 1)
            let parsed = try PictureTests.run(["python3", "-c", """
            import sys, xml.etree.ElementTree as ET
            root = ET.fromstring(sys.stdin.read())
            cases = root.findall('.//testcase')
            print(len(cases), sum(1 for c in cases if c.find('failure') is not None), ' '.join(c.get('name') for c in cases))
            """], input: result.out)
            let summary = parsed.out
            let fields = summary.split(whereSeparator: \.isWhitespace)
            #expect(parsed.status == 0, "\(name): \(result.out)")
            #expect(fields.count >= 3 && Int(fields[1]) == expectedFailures && fields[2] == "project", "\(name): \(summary)")
        }
    }

    /// The refusals of `plan` and `up` reach SARIF too: `plan --format sarif` on stdout, `up --sarif-output` in a file;
    /// both validate and name the clash. Nothing is created.
    @Test(.enabled(if: Engine.available, "plan/up SARIF: needs a Docker engine (scripts/start-engine.sh)"),
          .enabled(if: SchemaValidation.available && Corpus.available, "plan/up SARIF: needs python3 with jsonschema and ../shared/corpus"))
    func planAndUpRefusalsAsSARIF() async throws {
        let project = try EngineProject("services:\n  a: {image: busybox:1.36, network_mode: host, ports: [\"9090:9090\"]}\n  b: {image: busybox:1.36, network_mode: host, ports: [\"9090:9090\"]}\n")
        defer { _ = try? project.berth(["down", "-p", project.name, "-t", "0"]) }
        let plan = try project.berth(["plan", "--format", "sarif", "-p", project.name])
        #expect(plan.status == 1)
        let file = project.directory.appendingPathComponent("up.sarif")
        let up = try project.berth(["up", "-d", "-p", project.name, "--sarif-output", file.path])
        #expect(up.status == 1 && up.err.contains("nothing was created"), "\(up.err)")
        let written = try String(contentsOf: file, encoding: .utf8)
        let verdicts = try SchemaValidation.validate([plan.out, written], schema: SchemaValidation.sarifSchema)
        #expect(verdicts.count == 2 && verdicts.allSatisfy { $0.hasPrefix("valid ") }, "\(verdicts)")
        for text in [plan.out, written] {
            let results = try JSONValue.parse(Data(text.utf8))["runs"]?.array?.first?["results"]?.array ?? []
            #expect(results.contains { $0["ruleId"]?.string == "port-conflict" && $0["level"]?.string == "error" }, "\(text)")
        }
        let client = DockerClient()
        let containers = try await project.containers(client)
        await client.shutdown()
        #expect(containers.isEmpty)
    }
}
