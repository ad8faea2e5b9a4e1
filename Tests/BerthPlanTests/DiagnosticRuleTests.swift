import BerthReports
import Foundation
import Testing

/// The rule table (SARIF's rules, the README's codes) and the codes the sources report stay in step: every code
/// reported has a rule with a description and a fix, and every rule is reported somewhere.
@Suite struct DiagnosticRuleTests {
    static let sources = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Codes passed to `.error(`, `.warning(`, `.note(`, `Diagnostic(`, `RuntimeError(` or as `code:`, across the sources.
    static func reportedCodes() throws -> Set<String> {
        let patterns = [
            #"(?:error|warning|note|warn|RuntimeError)\(\s*"([a-z0-9]+(?:-[a-z0-9]+)+)""#,
            #"code\s*[:=]\s*"([a-z0-9]+(?:-[a-z0-9]+)*)""#,
            #"\?\s*"([a-z0-9]+(?:-[a-z0-9]+)+)"\s*:\s*"([a-z0-9]+(?:-[a-z0-9]+)+)""#,
        ].map { try! NSRegularExpression(pattern: $0) }
        var codes = Set<String>()
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift", !url.path.contains("/BerthReports/") else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for pattern in patterns {
                for match in pattern.matches(in: text, range: range) {
                    for group in 1..<match.numberOfRanges {
                        if let r = Range(match.range(at: group), in: text) { codes.insert(String(text[r])) }
                    }
                }
            }
        }
        return codes
    }

    @Test func everyReportedCodeHasARuleAndEveryRuleIsReported() throws {
        let reported = try Self.reportedCodes()
        let documented = Set(DiagnosticRule.all.map(\.id))
        #expect(reported.count > 40, "the scan found too few codes: \(reported.sorted())")
        #expect(reported.subtracting(documented).isEmpty, "codes without a rule: \(reported.subtracting(documented).sorted())")
        #expect(documented.subtracting(reported).isEmpty, "rules nothing reports: \(documented.subtracting(reported).sorted())")
        #expect(documented.count == DiagnosticRule.all.count, "a rule is listed twice")
        for rule in DiagnosticRule.all {
            #expect(!rule.summary.isEmpty && !rule.detail.isEmpty && !rule.fix.isEmpty, "\(rule.id)")
            #expect(rule.summary.count <= 1024 && (rule.summary + " " + rule.detail).count <= 1024, "\(rule.id): GitHub cuts descriptions at 1024")
            #expect(rule.name.first?.isUppercase == true && !rule.name.contains("-"), "\(rule.id): \(rule.name)")
        }
    }
}
