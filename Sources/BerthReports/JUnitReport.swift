import BerthDiagnostics

/// `--format junit`: JUnit XML for the CI systems that read only that. One test case per service, plus a `project`
/// case for findings that belong to no service (YAML syntax, top-level networks, subnets). Errors fail a case;
/// warnings fail it only with `--strict`, and are otherwise written to its `system-out`.
public struct JUnitReport {
    public var services: [String]
    public var strict: Bool
    /// The directory paths are shown relative to (the repository root).
    public var root: String

    public init(services: [String], strict: Bool, root: String) {
        self.services = services
        self.strict = strict
        self.root = root
    }

    public func render(_ report: DiagnosticReport) -> String {
        let known = Set(services)
        var byCase: [String: [Diagnostic]] = [:]
        for d in report.diagnostics { byCase[d.service.flatMap { known.contains($0) ? $0 : nil } ?? "project", default: []].append(d) }
        let cases = ["project"] + services
        let suite = report.project ?? "berth"
        var failures = 0
        var body = ""
        for name in cases {
            let found = byCase[name] ?? []
            let failing = found.filter { $0.severity == .error || (strict && $0.severity == .warning) }
            let file = name == "project" ? report.files.first : nil
            body += "    <testcase classname=\"\(Self.escape(suite))\" name=\"\(Self.escape(name))\"\(file.map { " file=\"\(Self.escape(path($0)))\"" } ?? "") time=\"0\">\n"
            if let first = failing.first {
                failures += 1
                let text = failing.map(line).joined(separator: "\n")
                body += "      <failure type=\"\(Self.escape(first.code))\" message=\"\(Self.escape(first.message))\">\(Self.escape(text))</failure>\n"
            }
            let other = found.filter { d in !failing.contains(d) }
            if !other.isEmpty { body += "      <system-out>\(Self.escape(other.map(line).joined(separator: "\n")))</system-out>\n" }
            body += "    </testcase>\n"
        }
        let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"0\""
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="berth check" \(counts)>
          <testsuite name="\(Self.escape(suite))" \(counts)>
        \(body)  </testsuite>
        </testsuites>

        """
    }

    func line(_ d: Diagnostic) -> String {
        let place = d.location.map { ReportPaths.place($0, base: root) + ": " } ?? ""
        let related = d.related.map { r in "\n  note: \(r.message)\(r.location.map { " (\(ReportPaths.place($0, base: root)))" } ?? "")" }.joined()
        return "\(place)\(d.severity.rawValue): \(d.message) [\(d.code)]\(related)"
    }

    func path(_ file: String) -> String { ReportPaths.inside(file, base: root) ?? file }

    /// XML text and attribute escaping; characters XML 1.0 cannot hold become U+FFFD.
    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
