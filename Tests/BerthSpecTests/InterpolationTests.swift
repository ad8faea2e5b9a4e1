import BerthSpec
import Foundation
import BerthTestSupport
import Testing

@Suite struct InterpolationTests {
    @Test(.enabled(if: Corpus.available, "compose-go interpolation cases: needs ../shared/corpus")) func composeGoGoldenCases() throws {
        let corpus = try Corpus.require()
        let data = try Data(contentsOf: corpus.appendingPathComponent("compose-go/_golden/interpolation/cases.json"))
        let cases = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["cases"] as? [[String: Any]])
        var checked = 0
        for entry in cases {
            let template = try #require(entry["template"] as? String)
            let environment = entry["env"] as? [String: String] ?? [:]
            let result = Interpolator(environment: environment).interpolate(template)
            if let expected = entry["expected"] as? String {
                #expect(try result.get() == expected, "template \(template)")
            } else {
                guard case .failure(let failure) = result else {
                    Issue.record("template \(template) should fail")
                    continue
                }
                if let contains = entry["error_contains"] as? String, contains != "None" {
                    #expect(failure.message.lowercased().contains(contains.lowercased()), "\(failure.message) should contain \(contains)")
                }
            }
            checked += 1
        }
        print("interpolation: \(checked) compose-go cases checked")
        #expect(checked == cases.count)
    }

    @Test(arguments: [
        ("$$HOME", "$HOME"),
        ("${A:-${B:-x}}", "x"),
        ("pre-${SET}-post", "pre-value-post"),
        ("${EMPTY-unused}", ""),
        ("${EMPTY:-used}", "used"),
        ("${SET:+alt}", "alt"),
        ("${UNSET+alt}", ""),
    ])
    func forms(template: String, expected: String) throws {
        let interpolator = Interpolator(environment: ["SET": "value", "EMPTY": ""])
        #expect(try interpolator.interpolate(template).get() == expected)
    }
}
