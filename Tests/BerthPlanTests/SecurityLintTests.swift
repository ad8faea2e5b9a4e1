import BerthDiagnostics
import BerthPlan
import BerthSpec
import BerthTestSupport
import Foundation
import Testing

/// Security lints: what they flag, what they leave alone, how they are silenced, and their findings on the whole
/// corpus, each reviewed (`corpus-lints.txt`).
@Suite struct SecurityLintTests {
    static let lintCodes: Set<String> = ["datastore-exposed", "docker-socket", "privileged-container", "host-namespace", "literal-credential"]

    func lints(_ yaml: String, ignore: Set<String> = []) throws -> [Diagnostic] {
        let project = try #require(try Fixture(["compose.yaml": yaml]).load(environment: ["DB_PASSWORD": "x"]).project)
        var options = PlanOptions()
        options.ignoredCodes = ignore
        return Planner.plan(project: project, options: options, engine: .unreachable, host: .unknown).diagnostics.filter { Self.lintCodes.contains($0.code) }
    }

    @Test func flagsWhatItShould() throws {
        let found = try lints("""
        services:
          db:
            image: postgres:16
            ports: ["5432:5432"]
            environment:
              POSTGRES_PASSWORD: example
              API_KEY: abc
          tool:
            image: docker:cli
            volumes: [/var/run/docker.sock:/var/run/docker.sock]
            privileged: true
            pid: host
        """)
        #expect(found.map { "\($0.code):\($0.location?.line ?? 0)" }.sorted() == [
            "datastore-exposed:4", "docker-socket:10", "host-namespace:12", "literal-credential:6", "literal-credential:7", "privileged-container:11",
        ], "\(found.map(\.message))")
        #expect(found.allSatisfy { $0.severity == .warning })
    }

    /// No false alarms: loopback publishing, plain web ports, interpolated and file-pointing credentials, names that
    /// only contain KEY or TOKEN inside a word.
    @Test func leavesAloneWhatItShould() throws {
        let found = try lints("""
        services:
          db:
            image: bitnami/postgresql
            ports: ["127.0.0.1:5432:5432"]
            environment:
              POSTGRES_PASSWORD: ${DB_PASSWORD}
              MYSQL_ROOT_PASSWORD_FILE: /run/secrets/db
              KEYCLOAK_URL: http://kc
              MONKEY: banana
              TOKENIZER: bpe
              DATABASE_PASSWORD: /run/secrets/db-password
          web:
            image: nginx
            ports: ["80:80", "443:443"]
        """)
        #expect(found.isEmpty, "\(found.map(\.message))")
        for name in ["API_KEY", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "DB_PASSWD", "client-secret"] { #expect(PreflightChecker.isCredentialName(name), "\(name)") }
        for name in ["KEYCLOAK_URL", "MONKEY", "KEY", "TOKENIZER", "PASSWORD_FILE"] { #expect(!PreflightChecker.isCredentialName(name), "\(name)") }
    }

    @Test func silencedPerServicePerFileAndPerRun() throws {
        let yaml = """
        x-berth: {ignore: [docker-socket]}
        services:
          db:
            image: redis
            ports: ["6379:6379"]
            privileged: true
            x-berth: {ignore: [privileged-container]}
          tool:
            image: docker:cli
            volumes: [/var/run/docker.sock:/var/run/docker.sock]
        """
        #expect(try lints(yaml).map(\.code) == ["datastore-exposed"])
        #expect(try lints(yaml, ignore: ["datastore-exposed"]).isEmpty)
    }

    /// The lints' findings on every corpus file, against the reviewed list: a new finding, or one that went away,
    /// fails until the list (and its verdict) is updated.
    @Test(.enabled(if: Corpus.available, "lint corpus review: needs ../shared/corpus"))
    func corpusFindingsAreReviewed() throws {
        let corpus = try Corpus.require()
        var found = Set<String>()
        let enumerator = FileManager.default.enumerator(atPath: corpus.path)
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasPrefix("awesome-compose/") || relative.hasPrefix("real-stacks/"),
                  relative.hasSuffix(".yml") || relative.hasSuffix(".yaml"), relative.contains("compose") else { continue }
            let path = corpus.appendingPathComponent(relative).path
            let loaded = ProjectLoader.load(ProjectOptions(files: [path], environment: [:], currentDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path))
            guard let project = loaded.project, !loaded.hasErrors else { continue }
            for d in Planner.plan(project: project, options: PlanOptions(), engine: .unreachable, host: .unknown).diagnostics
            where Self.lintCodes.contains(d.code) && d.location?.file == path {
                found.insert("\(relative):\(d.location!.line): \(d.code): \(d.service ?? "")")
            }
        }
        let list = try String(contentsOf: URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("corpus-lints.txt"), encoding: .utf8)
        let reviewed = list.split(separator: "\n").map { line -> (String, String) in
            let parts = line.components(separatedBy: " | ")
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        #expect(Set(reviewed.map(\.0)) == found, "new: \(found.subtracting(reviewed.map(\.0)).sorted()); gone: \(Set(reviewed.map(\.0)).subtracting(found).sorted())")
        #expect(reviewed.allSatisfy { $0.1.hasPrefix("true positive: ") || $0.1.hasPrefix("false positive: ") }, "every finding needs a verdict")
        print("lints: \(found.count) findings on the corpus, each reviewed in corpus-lints.txt")
    }
}
