import BerthSpec
import BerthTestSupport
import Foundation
import Testing

/// Every key of the Compose Specification has a fate in one table, the coverage page is that table, and a key Berth
/// does not apply is never silent.
@Suite struct ComposeKeysTests {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theCoveragePageIsTheTable() throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/compose-coverage.md"), encoding: .utf8)
        #expect(page == ComposeKeys.coverageTable(), "docs/compose-coverage.md is stale: run 'swift run berth-bench coverage > docs/compose-coverage.md'")
    }

    /// The schema's own key lists, section by section, are all in the table, and the table has no key the schema lacks.
    @Test(.enabled(if: Corpus.available, "key table: needs ../shared/corpus (the compose-spec schema)"))
    func everySchemaKeyHasAFate() throws {
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: try Corpus.require().appendingPathComponent("compose-spec.json"))) as? [String: Any]
        let definitions = try #require(schema?["definitions"] as? [String: Any])
        func keys(_ object: Any?) -> Set<String> {
            Set(((object as? [String: Any])?["properties"] as? [String: Any] ?? [:]).keys)
        }
        let service = definitions["service"] as? [String: Any]
        let deploy = definitions["deployment"] as? [String: Any]
        let resources = (deploy?["properties"] as? [String: Any])?["resources"]
        let resourceProperties = (resources as? [String: Any])?["properties"] as? [String: Any]
        let cases: [(ComposeKeys.Section, Set<String>)] = [
            (ComposeKeys.topLevel, keys(schema)),
            (ComposeKeys.service, keys(service)),
            (ComposeKeys.deploy, keys(deploy)),
            (ComposeKeys.resources, keys(resources)),
            (ComposeKeys.limits, keys(resourceProperties?["limits"])),
            (ComposeKeys.reservations, keys(resourceProperties?["reservations"])),
            (ComposeKeys.restartPolicy, keys((deploy?["properties"] as? [String: Any])?["restart_policy"])),
            (ComposeKeys.healthcheck, keys(definitions["healthcheck"])),
            (ComposeKeys.build, keys(((service?["properties"] as? [String: Any])?["build"] as? [String: Any])?["oneOf"].flatMap { ($0 as? [Any])?.last })),
            (ComposeKeys.logging, keys((service?["properties"] as? [String: Any])?["logging"])),
        ]
        for (section, fromSchema) in cases {
            #expect(!fromSchema.isEmpty, "\(section.path): the schema section was not found")
            #expect(fromSchema.subtracting(section.names).isEmpty, "\(section.path): keys without a fate: \(fromSchema.subtracting(section.names).sorted())")
            #expect(section.names.subtracting(fromSchema).subtracting(["version"]).isEmpty,
                    "\(section.path): keys the schema does not have: \(section.names.subtracting(fromSchema).sorted())")
        }
    }

    /// A warned key gets a warning at its line, naming where it is; nothing is dropped silently.
    @Test func warnedKeysAreWarnedAtTheirLine() throws {
        let result = try Fixture(["compose.yaml": """
        services:
          web:
            image: x
            use_api_socket: true
            deploy:
              placement: {constraints: [node.role==manager]}
              resources: {reservations: {cpus: "0.5"}}
            build: {context: ., cache_to: ["type=local,dest=x"]}
        secrets:
          token: {file: ./compose.yaml}
        models: {m: {model: ai/x}}
        """]).load()
        let warned = result.diagnostics.filter { $0.code == "unsupported-key" }
        #expect(warned.allSatisfy { $0.severity == .warning })
        let byLine = Dictionary(grouping: warned) { $0.location?.line ?? 0 }
        #expect(byLine.keys.sorted() == [4, 6, 7, 8, 11], "\(warned.map(\.message))")
        #expect(byLine[6]?.first?.message == "'services.web.deploy.placement' is not applied by berth: stack mode only")
        #expect(byLine[7]?.first?.message.contains("deploy.resources.reservations.cpus") == true)
    }
}
