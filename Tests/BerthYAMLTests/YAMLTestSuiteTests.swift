import BerthYAML
import Foundation
import BerthTestSupport
import Testing

/// Runs every case of the yaml-test-suite through Berth's event layer and compares with `test.event` / `error`,
/// against the cases libyaml 0.2.5 itself gets right.
@Suite struct YAMLTestSuiteTests {
    struct Outcome {
        var passed: Bool
        var detail: String
    }

    static func run(caseDirectory: URL) -> Outcome? {
        let fm = FileManager.default
        guard let input = fm.contents(atPath: caseDirectory.appendingPathComponent("in.yaml").path) else { return nil }
        let expectsError = fm.fileExists(atPath: caseDirectory.appendingPathComponent("error").path)
        let (events, error) = YAMLEventReader.events(Array(input))
        if expectsError {
            return Outcome(passed: error != nil, detail: "expected an error, got none")
        }
        guard error == nil else { return Outcome(passed: false, detail: "unexpected error: \(error!.message)") }
        let expectedText = (try? String(contentsOf: caseDirectory.appendingPathComponent("test.event"), encoding: .utf8)) ?? ""
        let expected = expectedText.split(separator: "\n").map(String.init)
        let actual = events.map(\.testSuiteNotation)
        return Outcome(passed: expected == actual, detail: "events differ:\n\(actual.joined(separator: "\n"))")
    }

    @Test(.enabled(if: Corpus.available, "yaml-test-suite conformance: needs ../shared/corpus")) func matchesLibyamlBaseline() throws {
        let corpus = try Corpus.require()
        let suite = corpus.appendingPathComponent("yaml-test-suite")
        let baselineData = try Data(contentsOf: suite.appendingPathComponent("libyaml-0.2.5-baseline.json"))
        let baseline = try JSONSerialization.jsonObject(with: baselineData) as? [String: Any]
        let results = try #require(baseline?["results"] as? [String: [String: Any]])
        var absent = 0
        var total = 0, passed = 0, baselinePasses = 0, regressions: [String] = [], beyondBaseline = 0
        for (name, entry) in results.sorted(by: { $0.key < $1.key }) {
            let directory = suite.appendingPathComponent("data").appendingPathComponent(name)
            guard let outcome = Self.run(caseDirectory: directory) else {
                absent += 1  // the corpus copy leaves some baseline cases out
                continue
            }
            total += 1
            let libyamlPasses = (entry["status"] as? String) == "pass"
            if libyamlPasses { baselinePasses += 1 }
            if outcome.passed {
                passed += 1
                if !libyamlPasses { beyondBaseline += 1 }
            } else if libyamlPasses {
                regressions.append("\(name): \(outcome.detail)")
            }
        }
        print("yaml-test-suite: \(passed)/\(total) cases right; libyaml 0.2.5 baseline \(baselinePasses); regressions \(regressions.count); beyond baseline \(beyondBaseline); \(absent) baseline cases not in this corpus copy")
        #expect(total + absent == results.count)
        #expect(total > 200)
        #expect(regressions.isEmpty, "\(regressions.prefix(5).joined(separator: "\n"))")
        #expect(passed >= baselinePasses)
    }
}
