import BerthDiagnostics
import BerthSpec
import BerthYAML
import Foundation
import BerthTestSupport
import Testing

/// Bad input never crashes or hangs: each problem is an error with its location, and all of a file's problems are reported.
@Suite struct BadInputTests {
    func load(_ text: String, environment: [String: String] = [:]) throws -> LoadResult {
        try Fixture(["compose.yaml": text]).load(environment: environment)
    }

    @Test(arguments: BadInputFixtures.loadErrors)
    func reportedWithLocation(name: String, marked: String, code: String) throws {
        let input = MarkedYAML(marked)
        let result = try load(input.text)
        #expect(result.hasErrors, "\(name)")
        let diagnostic = try #require(result.diagnostics.first { $0.code == code }, "\(name): \(result.diagnostics.map(\.code))")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location?.line == input["e"].line, "\(name): \(diagnostic)")
        #expect(diagnostic.location?.column == input["e"].column, "\(name): \(diagnostic)")
        let rendered = DiagnosticRenderer(sources: result.sources).render(diagnostic)
        #expect(rendered.contains("compose.yaml:\(input["e"].line):\(input["e"].column): error:"))
        #expect(rendered.contains("^"))
    }

    /// An unknown key is an error with a suggestion, at every depth; `x-` keys stay allowed.
    @Test func unknownKeysAreErrorsWithASuggestionAtEveryDepth() throws {
        let result = try load("""
        services:
          web:
            image: x
            enviroment: {A: 1}
            x-mine: 1
            deploy: {resourcs: {}}
            logging: {drivr: local}
            healthcheck: {tset: [CMD, "true"]}
            ports: [{target: 80, publishd: 8080}]
        """)
        let unknown = result.diagnostics.filter { $0.code == "unknown-key" }
        #expect(unknown.allSatisfy { $0.severity == .error })
        #expect(unknown.compactMap { $0.location?.line }.sorted() == [4, 6, 7, 8, 9], "\(unknown.map(\.message))")
        #expect(unknown.first { $0.location?.line == 4 }?.message.contains("did you mean 'environment'?") == true)
        #expect(unknown.first { $0.location?.line == 9 }?.message.contains("did you mean 'published'?") == true)
    }

    @Test func unsupportedTopLevelKeysAreNotSilentlyIgnored() throws {
        let result = try load("models: {m: {model: ai/x}}\nservices:\n  web: {image: x}\n")
        let warning = try #require(result.diagnostics.first { $0.code == "unsupported-key" })
        #expect(warning.severity == .warning)
        #expect(warning.location?.line == 1)
        #expect(!result.hasErrors)
    }

    @Test func allProblemsOfAFileAreReported() throws {
        let result = try load("""
        services:
          a: {image: x, ports: ["bad"]}
          b: {image: x, stop_grace_period: forever}
          c: {image: x, restart: sometimes}
        """)
        #expect(Set(result.diagnostics.filter { $0.severity == .error }.map(\.code)) == ["invalid-port", "invalid-duration", "invalid-value"])
    }

    @Test func aliasBombIsRefusedFast() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...12 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let start = ContinuousClock.now
        let file = YAMLComposer.compose(text)
        #expect(file.diagnostics.contains { $0.code == "yaml-alias-limit" })
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func deepNestingIsRefused() throws {
        let deep = String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)
        let file = YAMLComposer.compose(deep)
        #expect(file.diagnostics.contains { $0.code == "yaml-too-deep" })
        let mapping = String(repeating: "{a: ", count: 20_000) + "1" + String(repeating: "}", count: 20_000)
        #expect(YAMLComposer.compose(mapping).diagnostics.contains { $0.code == "yaml-too-deep" })
    }

    @Test func invalidUTF8() throws {
        var bytes = Array("services:\n  web:\n    image: ".utf8)
        bytes += [0xC3, 0x28, 0x0A]
        let file = YAMLComposer.compose(bytes, path: "bad.yaml")
        let error = try #require(file.diagnostics.first)
        #expect(error.code == "invalid-utf8")
        #expect(error.location?.file == "bad.yaml")
    }

    @Test(.enabled(if: Corpus.available, "compose-go loader fixtures: needs ../shared/corpus")) func composeGoAliasBombsFromTheCorpus() throws {
        let corpus = try Corpus.require()
        let loader = corpus.appendingPathComponent("compose-go/loader")
        let files = (FileManager.default.enumerator(atPath: loader.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        var loaded = 0
        for file in files {
            let start = ContinuousClock.now
            _ = ProjectLoader.load(ProjectOptions(files: [loader.appendingPathComponent(file).path], environment: [:], currentDirectory: "/"))
            #expect(ContinuousClock.now - start < .seconds(5), "\(file) took too long")
            loaded += 1
        }
        print("compose-go loader fixtures: \(loaded) files loaded or refused without hanging")
    }
}

@Suite struct ScalarAndLoaderTests {
    @Test func composeScalars() throws {
        let fixture = try Fixture(["compose.yaml": """
        services:
          web:
            image: x
            ports: [80:80, 22:22]
            environment: {ANSWER: yes, OFF: off}
            secrets: [{source: s, mode: 0440}]
        secrets:
          s: {file: ./s.txt}
        """])
        let project = try #require(fixture.load().project)
        let web = try #require(project.service(named: "web"))
        #expect(web.ports.map(\.target) == [80, 22])
        #expect(web.ports.map { $0.published?.lower } == [80, 22])
        #expect(web.environment.first { $0.key == "ANSWER" }?.value == "yes")
        #expect(web.environment.first { $0.key == "OFF" }?.value == "off")
        #expect(web.secrets.first?.mode == 0o440)
    }

    @Test func mergeKeysAndAnchors() throws {
        let fixture = try Fixture(["compose.yaml": """
        x-base: &base {image: x, restart: always, labels: {a: "1"}}
        x-more: &more {restart: "no", user: bob}
        services:
          one:
            <<: [*base, *more]
            user: alice
        """])
        let one = try #require(fixture.load().project?.service(named: "one"))
        #expect(one.image == "x")
        #expect(one.restart == "always")  // the first merged mapping wins, as in YAML's merge-key spec and PyYAML
        #expect(one.user == "alice")      // keys written in the mapping win over merged ones
    }

    @Test func envFilesProjectNamesAndProfiles() throws {
        let fixture = try Fixture([
            "My Project/compose.yaml": "services:\n  web: {image: \"${IMAGE}\", env_file: [web.env]}\n  tools: {image: t, profiles: [dev]}\n",
            "My Project/.env": "IMAGE=from-dotenv\n",
            "My Project/web.env": "# comment\nexport A=1\nB='two words'\nC=\"x\\ny\"\n",
            "My Project/other.env": "IMAGE=from-env-file\n",
        ])
        let base = ProjectOptions(environment: [:], currentDirectory: fixture.path("My Project"))
        let project = try #require(ProjectLoader.load(base).project)
        #expect(project.name == "myproject")
        #expect(project.service(named: "web")?.image == "from-dotenv")
        #expect(project.service(named: "web")?.environment == [KeyValue("A", "1"), KeyValue("B", "two words"), KeyValue("C", "x\ny")])
        #expect(project.service(named: "tools") == nil)
        var options = base
        options.envFiles = [fixture.path("My Project/other.env")]
        options.profiles = ["dev"]
        options.environment = ["COMPOSE_PROJECT_NAME": "Custom_1"]
        let other = try #require(ProjectLoader.load(options).project)
        #expect(other.service(named: "web")?.image == "from-env-file")
        #expect(other.service(named: "tools") != nil)
        #expect(other.name == "custom_1")
        options.environment = ["IMAGE": "from-process"]
        #expect(ProjectLoader.load(options).project?.service(named: "web")?.image == "from-process")
    }

    @Test func extendsAndResetAcrossFiles() throws {
        let fixture = try Fixture([
            "compose.yaml": "services:\n  web:\n    extends: {file: common.yaml, service: base}\n    ports: [\"8080:80\"]\n",
            "common.yaml": "services:\n  base:\n    image: common\n    environment: {FROM: common}\n    dns: [1.1.1.1]\n",
            "compose.override.yaml": "services:\n  web:\n    dns: !reset []\n    environment: {EXTRA: \"1\"}\n",
        ])
        let project = try #require(fixture.load().project)
        let web = try #require(project.service(named: "web"))
        #expect(web.image == "common")
        #expect(web.dns.isEmpty)
        #expect(Set(web.environment.map(\.key)) == ["FROM", "EXTRA"])
        #expect(web.ports.first?.location.file.hasSuffix("compose.yaml") == true)
        // A value that came from the other file points at where it was written.
        let result = try Fixture(["compose.yaml": "services:\n  web:\n    extends: {file: common.yaml, service: base}\n",
                                  "common.yaml": "services:\n  base:\n    image: x\n    ports: [\"bad\"]\n"]).load()
        #expect(result.diagnostics.first { $0.code == "invalid-port" }?.location?.file.hasSuffix("common.yaml") == true)
    }

    @Test func extendsFromAnotherDirectoryKeepsItsPaths() throws {
        let fixture = try Fixture([
            "app/compose.yaml": "services:\n  web:\n    extends: {file: ../common/base.yaml, service: base}\n",
            "common/base.yaml": "services:\n  base:\n    build: ./context\n    env_file: [base.env]\n    volumes: [\"./data:/data\"]\n",
            "common/base.env": "FROM_BASE=1\n",
        ])
        let result = fixture.load(files: ["app/compose.yaml"])
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message))")
        let web = try #require(result.project?.service(named: "web"))
        let common = URL(fileURLWithPath: fixture.path("common")).standardizedFileURL.path
        #expect(web.build?.context == common + "/context")
        #expect(web.volumes.first?.source == common + "/data")
        #expect(web.environment.contains(KeyValue("FROM_BASE", "1")))
    }

    @Test func configOutputHasComposeShape() throws {
        let fixture = try Fixture(["compose.yaml": """
        services:
          web:
            image: x
            ports: ["127.0.0.1:8080:80/udp"]
            depends_on: [db]
            environment: [A=1]
          db: {image: y}
        """])
        let project = try #require(fixture.load().project)
        let yaml = try YAMLEmitter.emit(ConfigRenderer.document(project))
        #expect(yaml.contains("published: \"8080\""))
        #expect(yaml.contains("target: 80\n"))
        #expect(yaml.contains("condition: service_started"))
        #expect(yaml.contains("A: \"1\""))
        // What Berth prints, Berth reads back to the same model.
        let again = try Fixture(["compose.yaml": yaml]).load()
        #expect(!again.hasErrors, "\(again.diagnostics.map(\.message))")
        #expect(try YAMLEmitter.emit(ConfigRenderer.document(try #require(again.project))) == yaml)
    }
}

/// Defects of the "truth and hardening" issue, each with its regression test.
@Suite struct HardeningRegressionTests {
    func load(_ text: String, environment: [String: String] = [:]) throws -> LoadResult {
        try Fixture(["compose.yaml": text]).load(environment: environment)
    }

    /// `stop_grace_period: inf` or `1e20` was a runtime trap (Double to Int64); now an error at the line.
    @Test(arguments: ["inf", "1e20", "nan", "-5", "1e400"])
    func hugeOrInfiniteDurationsAreErrors(value: String) throws {
        let result = try load("services:\n  web:\n    image: x\n    stop_grace_period: \(value)\n")
        let error = try #require(result.diagnostics.first { $0.code == "invalid-duration" }, "\(value): \(result.diagnostics.map(\.message))")
        #expect(error.location?.line == 4)
    }

    /// `X: ${UNSET:-}` is the empty string, as in Compose; a null would take the shell's X instead.
    @Test func anEmptyInterpolationIsAnEmptyString() throws {
        let result = try load("services:\n  web:\n    image: x\n    environment:\n      HOME: ${UNSET_BERTH_TEST:-}\n      N: ${UNSET_BERTH_TEST:-null}\n",
                              environment: ["HOME": "/root"])
        let web = try #require(result.project?.service(named: "web"))
        #expect(web.environment.first { $0.key == "HOME" }?.value == "")
        #expect(web.environment.first { $0.key == "N" }?.value == "null")
    }

    /// Names outside `[a-zA-Z0-9._-]` are refused, as the compose-spec schema refuses them.
    @Test func invalidNamesAreRefused() throws {
        let result = try load("services:\n  \"web app\": {image: x}\n  ok.name_1-x: {image: x}\nvolumes:\n  \"da/ta\": {}\n")
        let errors = result.diagnostics.filter { $0.code == "invalid-name" }
        #expect(errors.map { $0.location?.line } == [2, 5], "\(result.diagnostics.map(\.message))")
    }

    /// `volumes:` or `expose:` written as a scalar was silently dropped.
    @Test func scalarsWhereListsBelongAreErrors() throws {
        let result = try load("services:\n  web:\n    image: x\n    volumes: /data\n    expose: 80\n    devices: /dev/null\n")
        let errors = result.diagnostics.filter { $0.code == "invalid-type" }
        #expect(errors.compactMap { $0.location?.line }.sorted() == [4, 5, 6], "\(result.diagnostics.map(\.message))")
    }

    /// `host_ip: "1:2"` is not an IPv6 address; a non-integer target gives one error, not two.
    @Test func portAddressesAndTargets() throws {
        let bad = try load("services:\n  web:\n    image: x\n    ports:\n      - {target: 80, host_ip: \"1:2\", published: \"8080\"}\n      - {target: eighty}\n")
        #expect(bad.diagnostics.filter { $0.location?.line == 5 }.map(\.code) == ["invalid-port"], "\(bad.diagnostics.map(\.message))")
        #expect(bad.diagnostics.filter { $0.location?.line == 6 }.count == 1, "\(bad.diagnostics.map(\.message))")
        let good = try load("services:\n  web:\n    image: x\n    ports:\n      - {target: 80, host_ip: \"::1\", published: \"8080\"}\n      - {target: 81, host_ip: \"fe80::1:2\"}\n")
        #expect(!good.hasErrors, "\(good.diagnostics.map(\.message))")
    }

    /// `extends` from another directory: a long-syntax bind source is relative to the file that declares it.
    @Test func extendsKeepsLongSyntaxBindSources() throws {
        let fixture = try Fixture([
            "app/compose.yaml": "services:\n  web:\n    extends: {file: ../common/base.yaml, service: base}\n",
            "common/base.yaml": "services:\n  base:\n    image: x\n    volumes:\n      - {type: bind, source: ./site, target: /srv}\n      - {type: volume, source: data, target: /data}\n",
        ])
        let result = fixture.load(files: ["app/compose.yaml"])
        let web = try #require(result.project?.service(named: "web"), "\(result.diagnostics.map(\.message))")
        #expect(web.volumes.first?.source == URL(fileURLWithPath: fixture.path("common/site")).standardizedFileURL.path)
        #expect(web.volumes.last?.source == "data")
    }

    /// `${VAR:?message}` inside `.env` (and `env_file`) is enforced at its line.
    @Test func requiredVariablesInEnvFiles() throws {
        let fixture = try Fixture([
            "compose.yaml": "services:\n  web:\n    image: x\n    env_file: [app.env]\n",
            ".env": "A=1\nB=${BERTH_NOT_SET_ANYWHERE:?B needs BERTH_NOT_SET_ANYWHERE}\n",
            "app.env": "C=${BERTH_NOT_SET_EITHER:?C needs it}\n",
        ])
        let result = fixture.load()
        let missing = result.diagnostics.filter { $0.code == "missing-variable" }
        #expect(missing.count == 2, "\(result.diagnostics.map(\.message))")
        #expect(missing.contains { $0.location?.file.hasSuffix("/.env") == true && $0.location?.line == 2 && $0.message.contains("B needs") })
        #expect(missing.contains { $0.location?.file.hasSuffix("/app.env") == true && $0.location?.line == 1 })
    }

    /// An empty `expose` entry was an index-out-of-range trap (found by the picture test over the corpus).
    @Test func anEmptyExposeEntryIsAnError() throws {
        let result = try load("services:\n  web:\n    image: x\n    expose: [\"\", \"/tcp\", \"80/\"]\n")
        #expect(result.diagnostics.filter { $0.code == "invalid-port" }.count == 3, "\(result.diagnostics.map(\.message))")
    }
}
