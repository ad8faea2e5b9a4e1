import BerthDiagnostics
import BerthYAML
import Foundation

/// Machine-readable renderings of diagnostics: Berth's JSON, SARIF 2.1.0 and GitHub workflow annotations.
enum DiagnosticFormats {
    static func relativePath(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }

    /// `project` is nil when the files could not be loaded far enough to name it.
    static func json(project: String?, _ diagnostics: [Diagnostic]) -> String {
        let summary: YAMLNode = .map([("errors", .int(diagnostics.count(of: .error))), ("warnings", .int(diagnostics.count(of: .warning))),
                                      ("notes", .int(diagnostics.count(of: .note)))])
        return JSONWriter.write(.map([("project", project.map(YAMLNode.string) ?? .null), ("diagnostics", jsonItems(diagnostics)), ("summary", summary)]))
    }

    /// Diagnostics as the JSON list that `check --format json` and `plan --format json` print.
    static func jsonItems(_ diagnostics: [Diagnostic]) -> YAMLNode {
        func location(_ l: SourceLocation?) -> [(String, YAMLNode)] {
            guard let l else { return [] }
            return [("file", .string(l.file)), ("line", .int(l.line)), ("column", .int(l.column))]
        }
        return .list(diagnostics.map { d in
            var pairs: [(String, YAMLNode)] = [("severity", .string(d.severity.rawValue)), ("code", .string(d.code)), ("message", .string(d.message))]
            pairs.append(("service", d.service.map(YAMLNode.string) ?? .null))
            pairs += location(d.location)
            pairs.append(("related", .list(d.related.map { r in
                .map([("service", r.service.map(YAMLNode.string) ?? .null)] + location(r.location) + [("message", .string(r.message))])
            })))
            return .map(pairs)
        })
    }

    static func sarif(_ diagnostics: [Diagnostic]) -> String {
        func physical(_ l: SourceLocation) -> YAMLNode {
            .map([("physicalLocation", .map([
                ("artifactLocation", .map([("uri", .string(relativePath(l.file)))])),
                ("region", .map([("startLine", .int(l.line)), ("startColumn", .int(l.column))])),
            ]))])
        }
        let codes = Array(Set(diagnostics.map(\.code))).sorted()
        let rules: [YAMLNode] = codes.map { .map([("id", .string($0)), ("name", .string($0)), ("helpUri", .string("https://github.com/berth/berth#\($0)"))]) }
        let results: [YAMLNode] = diagnostics.map { d in
            var pairs: [(String, YAMLNode)] = [
                ("ruleId", .string(d.code)),
                ("level", .string(d.severity.rawValue)),
                ("message", .map([("text", .string(d.message))])),
            ]
            if let l = d.location { pairs.append(("locations", .list([physical(l)]))) }
            let related = d.related.compactMap { r -> YAMLNode? in
                guard let l = r.location else { return nil }
                guard case .mapping(var p) = physical(l).content else { return nil }
                p.append(YAMLPair(key: .string("message"), value: .map([("text", .string(r.message))])))
                return YAMLNode(.mapping(p), location: l)
            }
            if !related.isEmpty { pairs.append(("relatedLocations", .list(related))) }
            return .map(pairs)
        }
        let run: YAMLNode = .map([
            ("tool", .map([("driver", .map([("name", .string("berth")), ("informationUri", .string("https://github.com/berth/berth")), ("rules", .list(rules))]))])),
            ("results", .list(results)),
        ])
        return JSONWriter.write(.map([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .list([run])),
        ]))
    }

    static func github(_ diagnostics: [Diagnostic]) -> String {
        // As the Actions runner reads workflow commands: data escapes %, CR and LF; a property also ':' and ','.
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
        }
        func property(_ s: String) -> String {
            escape(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        }
        return diagnostics.map { d in
            let level = d.severity == .note ? "notice" : d.severity.rawValue
            var properties = ["title=\(property(d.code))"]
            if let l = d.location {
                properties.insert(contentsOf: ["file=\(property(relativePath(l.file)))", "line=\(l.line)", "col=\(l.column)"], at: 0)
            }
            let related = d.related.compactMap { r in r.location.map { " (\(r.message) at \(relativePath($0.file)):\($0.line):\($0.column))" } }.joined()
            return "::\(level) \(properties.joined(separator: ","))::\(escape(d.message + related))\n"
        }.joined()
    }
}
