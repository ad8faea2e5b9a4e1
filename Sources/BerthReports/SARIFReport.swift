import BerthHashing
import BerthDiagnostics
import BerthPlan
import BerthYAML

/// SARIF 2.1.0 as GitHub code scanning reads it: URIs relative to the repository root under `%SRCROOT%`, a rule per
/// code with its help, related locations linked from the message, fingerprints that survive unrelated edits, and one
/// result per distinct finding.
public struct SARIFReport {
    /// The directory URIs are relative to: the repository root (the git top level, or `--sarif-root`).
    public var root: String
    /// Where the rule help lives; `helpUri` is `<base><code>`, and absent without a base.
    public var helpBaseURI: String?
    /// `automationDetails.id`: the run category, ending in `/`.
    public var category: String

    public init(root: String, helpBaseURI: String?, category: String) {
        self.root = root
        self.helpBaseURI = helpBaseURI
        self.category = category
    }

    public func render(_ report: DiagnosticReport) -> String {
        let findings = Self.distinct(report.diagnostics)
        let codes = Array(Set(findings.map(\.code))).sorted()
        let ruleIndex = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        var seen: [String: Int] = [:]
        let results: [YAMLNode] = findings.map { d in
            var pairs: [(String, YAMLNode)] = [
                ("ruleId", .string(d.code)), ("ruleIndex", .int(ruleIndex[d.code] ?? 0)),
                ("level", .string(d.severity.rawValue)),
                ("message", .map([("text", .string(message(d)))])),
            ]
            let primary = d.location ?? report.fallbackLocation
            if let primary { pairs.append(("locations", .list([location(primary, sources: report.sources)]))) }
            let related = d.related.enumerated().compactMap { index, r -> YAMLNode? in
                guard let l = r.location, case .mapping(var p) = location(l, sources: report.sources).content else { return nil }
                p.insert(YAMLPair(key: .string("id"), value: .int(index + 1)), at: 0)
                p.append(YAMLPair(key: .string("message"), value: .map([("text", .string(Self.escaped(r.message)))])))
                return YAMLNode(.mapping(p), location: l)
            }
            if !related.isEmpty { pairs.append(("relatedLocations", .list(related))) }
            let hash = fingerprint(d, primary: primary, sources: report.sources)
            seen[hash, default: 0] += 1
            pairs.append(("partialFingerprints", .map([
                ("primaryLocationLineHash", .string("\(hash.prefix(16)):\(seen[hash]!)")),
                ("berthFinding/v1", .string("\(hash):\(seen[hash]!)")),
            ])))
            if let service = d.service { pairs.append(("properties", .map([("service", .string(service))]))) }
            return .map(pairs)
        }
        var driver: [(String, YAMLNode)] = [
            ("name", .string(report.tool)), ("version", .string(report.toolVersion)), ("semanticVersion", .string(report.toolVersion)),
        ]
        if let home = informationURI { driver.append(("informationUri", .string(home))) }
        driver.append(("rules", .list(codes.map(rule))))
        let run: YAMLNode = .map([
            ("tool", .map([("driver", .map(driver))])),
            ("automationDetails", .map([("id", .string(category))])),
            ("originalUriBaseIds", .map([("%SRCROOT%", .map([("uri", .string(ReportPaths.fileURI(root, directory: true)))]))])),
            ("columnKind", .string("unicodeCodePoints")),
            ("invocations", .list([.map([("executionSuccessful", .bool(true))])])),
            ("results", .list(results)),
        ])
        return JSONWriter.write(.map([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .list([run])),
        ]))
    }

    /// The base URI without its fragment: the page that documents the rules.
    var informationURI: String? {
        guard let base = helpBaseURI, !base.isEmpty else { return nil }
        return String(base.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }

    func rule(_ code: String) -> YAMLNode {
        let rule = DiagnosticRule.named(code)
        var pairs: [(String, YAMLNode)] = [
            ("id", .string(code)), ("name", .string(rule.name)),
            ("shortDescription", .map([("text", .string(rule.summary))])),
            ("fullDescription", .map([("text", .string("\(rule.summary) \(rule.detail)"))])),
            ("help", .map([
                ("text", .string("\(rule.detail)\n\nFix: \(rule.fix)")),
                ("markdown", .string("**\(code)** (\(rule.stage)): \(rule.summary)\n\n\(rule.detail)\n\n**Fix:** \(rule.fix)")),
            ])),
            ("defaultConfiguration", .map([("level", .string(rule.level.rawValue))])),
            ("properties", .map([("tags", .list([.string("compose"), .string(rule.stage)]))])),
        ]
        if let base = helpBaseURI, !base.isEmpty { pairs.insert(("helpUri", .string(base + code)), at: 5) }
        return .map(pairs)
    }

    /// The message, with each related location linked (`[web](1)`) so that code scanning shows it.
    func message(_ d: Diagnostic) -> String {
        let links = d.related.enumerated().compactMap { index, r -> String? in
            guard r.location != nil else { return nil }
            return "[\(Self.escaped(r.service ?? "related location"))](\(index + 1))"
        }
        let text = Self.escaped(d.message)
        return links.isEmpty ? text : "\(text) (see \(links.joined(separator: ", ")))"
    }

    /// SARIF message text reserves `[`, `]` and `\` for embedded links.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
    }

    func location(_ l: SourceLocation, sources: SourceCache) -> YAMLNode {
        var artifact: [(String, YAMLNode)]
        if let inside = ReportPaths.inside(l.file, base: root) {
            artifact = [("uri", .string(ReportPaths.uriPath(inside))), ("uriBaseId", .string("%SRCROOT%"))]
        } else {
            artifact = [("uri", .string(ReportPaths.fileURI(l.file)))]
        }
        var region: [(String, YAMLNode)] = [("startLine", .int(l.line)), ("startColumn", .int(l.column))]
        if let line = sources.line(l.line, in: l.file) {
            // The region runs to the end of the line's text: the key or value the finding is about.
            let end = line.unicodeScalars.count - line.unicodeScalars.reversed().prefix { $0 == " " || $0 == "\t" }.count + 1
            region += [("endLine", .int(l.line)), ("endColumn", .int(max(end, l.column + 1)))]
        }
        return .map([("physicalLocation", .map([("artifactLocation", .map(artifact)), ("region", .map(region))]))])
    }

    /// A hash of what the finding is, not where it is: the code, the file, the service, the text of the offending
    /// line and of the related lines. Moving unrelated lines leaves it alone; editing the finding's own line changes it.
    func fingerprint(_ d: Diagnostic, primary: SourceLocation?, sources: SourceCache) -> String {
        func text(_ l: SourceLocation?) -> String {
            guard let l else { return "" }
            let file = ReportPaths.inside(l.file, base: root) ?? l.file
            return file + "\u{1}" + (sources.line(l.line, in: l.file) ?? "").trimmingCharacters(in: [" ", "\t"])
        }
        let related = d.related.map { ($0.service ?? "") + "\u{1}" + text($0.location) }.joined(separator: "\u{2}")
        return SHA256.hex([d.code, d.service ?? "", text(primary), related].joined(separator: "\u{0}"))
    }

    /// One result per distinct finding, keyed by code, primary location and the related locations (the other
    /// claimant). A folded finding that says something new adds its message; replicas are folded by the checker,
    /// which names them.
    static func distinct(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var order: [String] = []
        var byKey: [String: Diagnostic] = [:]
        for d in diagnostics {
            let key = ([d.code, d.location?.description ?? "-"] + d.related.map { $0.location?.description ?? "-" }).joined(separator: "\u{0}")
            if var known = byKey[key] {
                if !known.message.contains(d.message) { known.message += "; also: " + d.message }
                byKey[key] = known
            } else {
                order.append(key)
                byKey[key] = d
            }
        }
        return order.compactMap { byKey[$0] }
    }
}

private extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
