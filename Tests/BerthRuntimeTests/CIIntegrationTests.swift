import BerthTestSupport
import DockerEngine
import Foundation
import Testing

/// Berth where CI runs it: the composite action's script (run here without a GitHub runner, with the variables a
/// runner sets), the pre-commit hook through `pre-commit try-repo`, and the rules page the SARIF help links to.
@Suite(.serialized) struct CIIntegrationTests {
    static let root = SchemaValidation.root
    static let preCommitAvailable = PictureTests.tool("pre-commit") != nil && PictureTests.tool("git") != nil
        && FileManager.default.fileExists(atPath: root.appendingPathComponent(".git").path)

    static func shell(_ command: [String], in directory: URL, environment: [String: String] = [:]) throws -> (status: Int32, out: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, out)
    }

    /// The action's script on the host-network demo: it fails on the port-80 clash, annotates it at the sample's
    /// line relative to the workspace, writes a SARIF file that names it (and validates), the step output and the
    /// step summary.
    @Test(.enabled(if: SchemaValidation.available && Corpus.available, "action: needs python3 with jsonschema and ../shared/corpus"))
    func actionScript() throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("berth-action-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let output = temporary.appendingPathComponent("output"), summary = temporary.appendingPathComponent("summary.md")
        let result = try Self.shell(["bash", Self.root.appendingPathComponent("scripts/github-action.sh").path], in: Self.root, environment: [
            "BERTH_BIN": EngineProject.binary.path, "GITHUB_ACTION_PATH": Self.root.path, "GITHUB_WORKSPACE": Self.root.path,
            "GITHUB_OUTPUT": output.path, "GITHUB_STEP_SUMMARY": summary.path, "GITHUB_ACTION_REPOSITORY": "someone/berth",
            "GITHUB_ACTION_REF": "v1", "INPUT_WORKING_DIRECTORY": "samples/host-network-demo", "INPUT_FILES": "", "INPUT_STRICT": "false",
            "INPUT_SARIF_FILE": temporary.appendingPathComponent("berth.sarif").path,
        ])
        #expect(result.status == 1, "\(result.out)")
        let annotations = result.out.split(separator: "\n").compactMap(RunnerCommand.init)
        let clash = try #require(annotations.first { $0.properties["title"] == "berth port-conflict" }, "\(result.out)")
        #expect(clash.name == "error")
        #expect(clash.properties["file"] == "samples/host-network-demo/compose.yaml")
        #expect(clash.properties["line"] == "21")
        #expect(clash.data.contains("app3") && clash.data.contains("app2"))
        let written = try String(contentsOf: output, encoding: .utf8)
        #expect(written == "sarif-file=\(temporary.appendingPathComponent("berth.sarif").path)\n")
        let sarif = try String(contentsOf: temporary.appendingPathComponent("berth.sarif"), encoding: .utf8)
        let verdicts = try SchemaValidation.validate([sarif], schema: SchemaValidation.sarifSchema)
        #expect(verdicts.first?.hasPrefix("valid ") == true, "\(verdicts)")
        let document = try JSONValue.parse(Data(sarif.utf8))
        let run = try #require(document["runs"]?.array?.first)
        let first = try #require(run["results"]?.array?.first)
        #expect(first["ruleId"]?.string == "port-conflict")
        #expect(first["locations"]?.array?.first?["physicalLocation"]?["artifactLocation"]?["uri"]?.string == "samples/host-network-demo/compose.yaml")
        #expect(run["tool"]?["driver"]?["rules"]?.array?.first?["helpUri"]?.string == "https://github.com/someone/berth/blob/v1/docs/rules.md#port-conflict")
        #expect(try String(contentsOf: summary, encoding: .utf8).contains("| error | port-conflict | samples/host-network-demo/compose.yaml:21:"))
    }

    /// The hook, installed from this repository by pre-commit itself: it fails a commit of a stack with a port clash
    /// and passes a sound one.
    @Test(.enabled(if: preCommitAvailable, "pre-commit hook: needs pre-commit and git (scripts/install-deps.sh), and a git checkout of Berth"))
    func preCommitHook() throws {
        let repository = FileManager.default.temporaryDirectory.appendingPathComponent("berth-hook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: repository.appendingPathComponent("stack"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: repository) }
        try Data("services:\n  a: {image: x, ports: [\"8080:80\"]}\n  b: {image: x, ports: [\"8080:80\"]}\n".utf8)
            .write(to: repository.appendingPathComponent("stack/compose.yaml"))
        try Data("services:\n  a: {image: x, ports: [\"8080:80\"]}\n".utf8).write(to: repository.appendingPathComponent("compose.yaml"))
        let git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
        #expect(try Self.shell(git + ["init", "-q"], in: repository).status == 0)
        #expect(try Self.shell(git + ["add", "."], in: repository).status == 0)
        let path = EngineProject.binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let environment = ["PATH": path, "PRE_COMMIT_HOME": repository.appendingPathComponent(".cache").path]
        let bad = try Self.shell(["pre-commit", "try-repo", Self.root.path, "berth-check", "--files", "stack/compose.yaml", "compose.yaml"],
                                 in: repository, environment: environment)
        #expect(bad.status == 1, "\(bad.out)")
        #expect(bad.out.contains("port-conflict") && bad.out.contains("stack/compose.yaml:3:"), "\(bad.out)")
        let good = try Self.shell(["pre-commit", "try-repo", Self.root.path, "berth-check", "--files", "compose.yaml"],
                                  in: repository, environment: environment)
        #expect(good.status == 0, "\(good.out)")
        #expect(good.out.contains("Passed"), "\(good.out)")
    }

    /// docs/rules.md is what `berth rules --format markdown` prints.
    @Test func rulesPageIsCurrent() throws {
        let printed = try EngineProject.berth(["rules", "--format", "markdown"], in: Self.root)
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(printed.status == 0)
        #expect(printed.out == page, "docs/rules.md is stale: run 'berth rules --format markdown > docs/rules.md'")
    }
}
