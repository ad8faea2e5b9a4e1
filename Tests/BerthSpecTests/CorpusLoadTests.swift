import BerthDiagnostics
import BerthSpec
import BerthYAML
import Foundation
import BerthTestSupport
import Testing

/// Loads the real-world corpus: every awesome-compose and real-stacks file, the compose-go merge cases, and the
/// docker-compose 1.29.2 peer outputs.
@Suite struct CorpusLoadTests {
    static func load(_ files: [URL], environment: [String: String] = [:]) -> LoadResult {
        ProjectLoader.load(ProjectOptions(files: files.map(\.path), environment: environment,
                                          currentDirectory: files[0].deletingLastPathComponent().path))
    }

    /// Files that are overlays of a base file in the same stack, and the base they are used with (as their projects document).
    static let overlayBases: [String: [String]] = [
        "real-stacks/netbox-docker/docker-compose.test.override.yml": ["real-stacks/netbox-docker/docker-compose.yml", "real-stacks/netbox-docker/docker-compose.test.yml"],
        "real-stacks/sentry-self-hosted/custom-ca-roots.docker-compose.test.yml": ["real-stacks/sentry-self-hosted/docker-compose.yml"],
    ]

    /// The stack's base for overlay directories (jitsi's extra services, mailcow's override snippets).
    static func bases(for relative: String) -> [String] {
        if let bases = overlayBases[relative] { return bases }
        if relative.hasPrefix("real-stacks/docker-jitsi-meet/"), !relative.hasSuffix("/docker-compose.yml") {
            return ["real-stacks/docker-jitsi-meet/docker-compose.yml"]
        }
        if relative.hasPrefix("real-stacks/mailcow-dockerized/helper-scripts/") {
            return ["real-stacks/mailcow-dockerized/docker-compose.yml"]
        }
        return []
    }

    /// Files whose stack needs files that are not in the corpus (git-ignored `.env` files of jitsi's rtcstats):
    /// Compose refuses them too, so the only errors allowed are those.
    static let expectedErrors: [String: String] = [
        "real-stacks/docker-jitsi-meet/rtcstats.yml": "missing-env-file",
        "real-stacks/docker-jitsi-meet/rtcstats/localstack/localstack.yml": "missing-env-file",
    ]

    static func corpusFiles(_ corpus: URL) -> [String] {
        var files: [String] = []
        for top in ["awesome-compose", "real-stacks"] {
            let root = corpus.appendingPathComponent(top)
            guard let walker = FileManager.default.enumerator(atPath: root.path) else { continue }
            for case let path as String in walker where path.hasSuffix(".yml") || path.hasSuffix(".yaml") {
                files.append("\(top)/\(path)")
            }
        }
        return files.sorted()
    }

    static let warningsList = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("corpus-unsupported-keys.txt")

    /// Every corpus file that uses keys Berth warns about is listed with its warnings in `corpus-unsupported-keys.txt`,
    /// so that a key that later stops being warned about, or a new silent drop, fails here. Regenerate the list with
    /// `BERTH_UPDATE_CORPUS_WARNINGS=1 swift test --filter corpusWarningsAreListed`, and review the difference.
    @Test(.enabled(if: Corpus.available, "corpus warnings: needs ../shared/corpus")) func corpusWarningsAreListed() throws {
        let corpus = try Corpus.require()
        var lines: [String] = []
        var goFiles: [String] = []
        if let walker = FileManager.default.enumerator(atPath: corpus.appendingPathComponent("compose-go").path) {
            for case let path as String in walker where path.hasSuffix(".yml") || path.hasSuffix(".yaml") { goFiles.append("compose-go/\(path)") }
        }
        for relative in Self.corpusFiles(corpus) + goFiles.sorted() {
            let files = (Self.bases(for: relative) + [relative]).map { corpus.appendingPathComponent($0) }
            for d in Self.load(files).diagnostics where d.code == "unsupported-key" {
                guard let location = d.location, location.file.hasSuffix("/" + relative) else { continue }
                lines.append("\(relative):\(location.line): \(d.message)")
            }
        }
        let text = Array(Set(lines)).sorted().joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["BERTH_UPDATE_CORPUS_WARNINGS"] == "1" {
            try Data(text.utf8).write(to: Self.warningsList)
        }
        let listed = try String(contentsOf: Self.warningsList, encoding: .utf8)
        #expect(listed == text, "the corpus warnings changed; the new list:\n\(text)")
        print("corpus: \(Set(lines).count) unsupported-key warnings in \(Set(lines.map { $0.split(separator: ":").first ?? "" }).count) files, as listed")
    }

    @Test(.enabled(if: Corpus.available, "awesome-compose and real-stacks: needs ../shared/corpus")) func everyCorpusFileLoads() throws {
        let corpus = try Corpus.require()
        var loaded = 0
        for relative in Self.corpusFiles(corpus) {
            let files = (Self.bases(for: relative) + [relative]).map { corpus.appendingPathComponent($0) }
            let result = Self.load(files)
            let errors = result.diagnostics.filter { $0.severity == .error }
            if let allowed = Self.expectedErrors[relative] {
                #expect(!errors.isEmpty && errors.allSatisfy { $0.code == allowed }, "\(relative): \(errors.map(\.message))")
            } else {
                #expect(errors.isEmpty, "\(relative): \(errors.map { "\($0.location?.description ?? "") \($0.message)" })")
                #expect(result.project.map { !$0.services.isEmpty } ?? false, "\(relative) has no services")
            }
            loaded += 1
        }
        print("corpus: \(loaded) awesome-compose and real-stacks files loaded")
        #expect(loaded > 40)
    }

    @Test(.enabled(if: Corpus.available, "compose-go merge cases: needs ../shared/corpus")) func composeGoMergeCases() throws {
        let corpus = try Corpus.require()
        let mergeRoot = corpus.appendingPathComponent("compose-go/_golden/merge")
        var checked = 0
        for group in try FileManager.default.contentsOfDirectory(atPath: mergeRoot.path).sorted() {
            for name in try FileManager.default.contentsOfDirectory(atPath: mergeRoot.appendingPathComponent(group).path).sorted() {
                let directory = mergeRoot.appendingPathComponent(group).appendingPathComponent(name)
                let base = directory.appendingPathComponent("base.yaml"), override = directory.appendingPathComponent("override.yaml")
                let expected = directory.appendingPathComponent("expected.yaml")
                guard FileManager.default.fileExists(atPath: expected.path) else { continue }
                let merged = Self.load([base, override])
                let reference = Self.load([expected])
                guard let mergedProject = merged.project, let referenceProject = reference.project else {
                    // Cases whose inputs Berth refuses (e.g. a service without an image) must be refused for both.
                    #expect((merged.project == nil) == (reference.project == nil) || merged.hasErrors == reference.hasErrors, "\(group)/\(name)")
                    continue
                }
                let mine = JSONWriter.write(ConfigRenderer.document(mergedProject, includeName: false))
                let theirs = JSONWriter.write(ConfigRenderer.document(referenceProject, includeName: false))
                #expect(mine == theirs, "\(group)/\(name):\n\(mine)\n--- expected ---\n\(theirs)")
                if mine == theirs { checked += 1 }
            }
        }
        print("merge: \(checked) compose-go merge cases agree")
        #expect(checked > 30)
    }
}
