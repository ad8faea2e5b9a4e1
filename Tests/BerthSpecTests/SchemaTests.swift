import BerthSpec
import Foundation
import BerthTestSupport
import Testing

/// `schemas/compose.schema.json` against the samples and the corpus (through Python's jsonschema), and against Berth:
/// the two must agree on what is valid.
@Suite struct SchemaTests {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func validate(_ paths: [String]) throws -> [String: Bool]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/validate-schema.py").path] + paths
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        var verdicts: [String: Bool] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("valid ") { verdicts[String(line.dropFirst(6))] = true }
            if line.hasPrefix("invalid "), let colon = line.range(of: ": ") { verdicts[String(line[line.index(line.startIndex, offsetBy: 8)..<colon.lowerBound])] = false }
        }
        return verdicts
    }

    /// Whether python3 with jsonschema and yaml runs here (scripts/install-deps.sh installs them; CI always has them).
    static let pythonAvailable: Bool = (try? validate([])) != nil

    @Test(.enabled(if: pythonAvailable, "schema: needs python3 with jsonschema and yaml (scripts/install-deps.sh)"))
    func samplesValidate() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("samples").path)
            .map { Self.root.appendingPathComponent("samples/\($0)/compose.yaml").path }
        let verdicts = try #require(try Self.validate(files))
        #expect(verdicts.count == files.count)
        let refused = verdicts.filter { !$0.value }.map(\.key)
        #expect(refused.isEmpty, "the schema refuses samples: \(refused)")
    }

    @Test(.enabled(if: pythonAvailable, "schema: needs python3 with jsonschema and yaml (scripts/install-deps.sh)"),
          .enabled(if: Corpus.available, "schema over the corpus: needs ../shared/corpus"))
    func corpusValidates() throws {
        let corpus = try Corpus.require()
        var files: [String] = []
        for top in ["awesome-compose", "real-stacks"] {
            let base = corpus.appendingPathComponent(top)
            for case let path as String in FileManager.default.enumerator(atPath: base.path)?.allObjects ?? []
            where path.hasSuffix(".yml") || path.hasSuffix(".yaml") {
                files.append(base.appendingPathComponent(path).path)
            }
        }
        let verdicts = try #require(try Self.validate(files))
        #expect(verdicts.count == files.count)
        let refused = verdicts.filter { !$0.value }.map(\.key)
        #expect(refused.isEmpty, "the schema refuses files Berth accepts: \(refused)")
        print("schema: \(verdicts.count) corpus files validate")
    }

    @Test(.enabled(if: pythonAvailable, "schema agreement: needs python3 with jsonschema and yaml (scripts/install-deps.sh)"))
    func berthAndTheSchemaAgree() throws {
        let cases: [(String, String)] = [
            ("valid", "services:\n  web:\n    image: x\n    ports: [\"80:80\"]\n    x-berth: {note: kept}\nx-anything: 1\n"),
            ("unknown-top-level", "services:\n  web: {image: x}\nservces: {}\n"),
            ("service-as-list", "services:\n  web: [image, x]\n"),
            ("bad-condition", "services:\n  a: {image: x}\n  web: {image: x, depends_on: {a: {condition: started}}}\n"),
            ("bad-port-type", "services:\n  web: {image: x, ports: {a: 1}}\n"),
        ]
        let fixture = try Fixture(Dictionary(uniqueKeysWithValues: cases.map { ("\($0.0)/compose.yaml", $0.1) }))
        let verdicts = try #require(try Self.validate(cases.map { fixture.path("\($0.0)/compose.yaml") }))
        for (name, _) in cases {
            let berthAccepts = !fixture.load(files: ["\(name)/compose.yaml"]).hasErrors
            let schemaAccepts = verdicts[fixture.path("\(name)/compose.yaml")]
            #expect(schemaAccepts == berthAccepts, "\(name): berth \(berthAccepts), schema \(String(describing: schemaAccepts))")
            #expect(berthAccepts == (name == "valid"), "\(name)")
        }
    }
}
