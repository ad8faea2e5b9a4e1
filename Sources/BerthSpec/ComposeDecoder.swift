import BerthDiagnostics
import BerthYAML
import Foundation

/// Turns a merged, interpolated Compose document into the typed model, collecting every problem as a diagnostic.
struct ComposeDecoder {
    var diagnostics: [Diagnostic] = []
    let projectName: String
    let workingDirectory: String
    let lookup: @Sendable (String) -> String?
    /// Scalars that were interpolated (see `FileContext.interpolated`).
    var interpolated = Set<SourceLocation>()

    static let topLevelKeys = ComposeKeys.topLevel.names
    static let serviceKeys = ComposeKeys.service.names
    static let networkKeys: Set<String> = ["driver", "driver_opts", "ipam", "internal", "external", "name", "enable_ipv4", "enable_ipv6", "labels", "attachable"]
    static let volumeKeys: Set<String> = ["driver", "driver_opts", "external", "name", "labels"]
    static let fileObjectKeys: Set<String> = ["file", "environment", "content", "external", "name", "labels", "driver", "driver_opts", "template_driver"]

    // MARK: scalar helpers

    mutating func error(_ code: String, _ message: String, _ node: YAMLNode, service: String? = nil) {
        diagnostics.append(.error(code, message, at: node.location, service: service))
    }

    mutating func string(_ node: YAMLNode?, _ field: String) -> String? {
        guard let node, !node.isNull else { return nil }
        guard let text = node.scalarText else {
            error("invalid-type", "'\(field)' must be a string, not \(node.kindName)", node)
            return nil
        }
        return text
    }

    mutating func int(_ node: YAMLNode?, _ field: String) -> Int? {
        guard let node, !node.isNull else { return nil }
        if let text = node.scalarText, let value = Int(text.trimmingSpaces) { return value }
        error("invalid-type", "'\(field)' must be an integer, not \(node.scalarText.map { "'\($0)'" } ?? node.kindName)", node)
        return nil
    }

    mutating func bool(_ node: YAMLNode?, _ field: String) -> Bool? {
        guard let node, !node.isNull else { return nil }
        switch node.scalarText?.lowercased() {
        case "true", "yes", "on", "y": return true
        case "false", "no", "off", "n": return false
        default:
            error("invalid-type", "'\(field)' must be a boolean (true or false), not \(node.scalarText.map { "'\($0)'" } ?? node.kindName)", node)
            return nil
        }
    }

    mutating func duration(_ node: YAMLNode?, _ field: String) -> Duration? {
        guard let text = string(node, field), let node else { return nil }
        guard let value = DurationParser.parse(text) else {
            error("invalid-duration", "'\(field)' has an invalid duration '\(text)' (expected something like '1m30s', '10s' or '500ms')", node)
            return nil
        }
        return value
    }

    /// The items of a list; anything else but null is an error at its line, never silently nothing.
    mutating func sequence(_ node: YAMLNode?, _ field: String) -> [YAMLNode] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.sequence else {
            error("invalid-type", "'\(field)' must be a list, not \(node.kindName)", node)
            return []
        }
        return items
    }

    /// A list of strings, or a single string when `allowString` (for `dns: 8.8.8.8`).
    mutating func stringList(_ node: YAMLNode?, _ field: String, allowString: Bool = false) -> [String] {
        guard let node, !node.isNull else { return [] }
        if let items = node.sequence { return items.compactMap { string($0, field) } }
        if allowString, let text = node.scalarText { return [text] }
        error("invalid-type", "'\(field)' must be a list\(allowString ? " or a string" : ""), not \(node.kindName)", node)
        return []
    }

    /// A command: a string (split like a shell would) or a list.
    /// A size (`512m`, `2g`, bytes), or an error at its line naming `key` and an `example`.
    mutating func byteSize(_ value: YAMLNode, _ key: String, example: String, service: String? = nil) -> Int64? {
        guard let text = value.scalarText, let bytes = ByteSize.parse(text) else {
            error("invalid-value", "'\(key)' must be a size such as \(example), not '\(value.scalarText ?? value.kindName)'", value, service: service)
            return nil
        }
        return bytes
    }

    /// `isolation`: a Linux engine accepts only `default` (verified: `Invalid isolation: "hyperv" - linux only
    /// supports 'default'`); anything else is an error at its line.
    mutating func isolation(_ value: YAMLNode, _ what: String, service: String? = nil) -> String? {
        guard let isolation = string(value, what) else { return nil }
        guard isolation.lowercased() == "default" || isolation.isEmpty else {
            error("invalid-value", "\(what.replacingOccurrences(of: ".", with: " ")) '\(isolation)' is refused by a Linux engine, which supports only 'default'", value, service: service)
            return nil
        }
        return isolation
    }

    mutating func command(_ node: YAMLNode?, _ field: String) -> [String]? {
        guard let node, !node.isNull else { return nil }
        if let text = node.scalarText { return ShellWords.split(text) }
        return stringList(node, field)
    }

    /// `KEY=VALUE` list or mapping.
    mutating func keyValues(_ node: YAMLNode?, _ field: String, separator: Character = "=") -> [KeyValue] {
        guard let node, !node.isNull else { return [] }
        if let pairs = node.mapping {
            return pairs.compactMap { pair in
                guard let key = pair.key.scalarText else { return nil }
                if pair.value.isNull { return KeyValue(key, nil) }
                if let items = pair.value.sequence {  // extra_hosts: host: [ip, ip]
                    return KeyValue(key, items.compactMap(\.scalarText).joined(separator: ","))
                }
                return KeyValue(key, string(pair.value, "\(field).\(key)"))
            }
        }
        if let items = node.sequence {
            return items.compactMap { item in
                guard let text = string(item, field) else { return nil }
                if let split = text.firstIndex(of: separator) {
                    return KeyValue(String(text[..<split]), String(text[text.index(after: split)...]))
                }
                return KeyValue(text, nil)
            }
        }
        error("invalid-type", "'\(field)' must be a mapping or a list of KEY\(separator)VALUE, not \(node.kindName)", node)
        return []
    }

    /// Checks a mapping against a section of the key table: an unknown key is an error with a suggestion, a warned
    /// key a warning that Berth does not apply it, a refused key an error.
    mutating func checkSection(_ node: YAMLNode, _ section: ComposeKeys.Section, context: String, service: String? = nil) {
        checkKeys(node, known: section.names, context: context, service: service)
        for pair in node.mapping ?? [] {
            guard let key = pair.key.scalarText, let fate = section.fate(key) else { continue }
            let path = section.path.isEmpty ? key : "\(section.path.replacingOccurrences(of: "services.*", with: service.map { "services.\($0)" } ?? "services.*")).\(key)"
            switch fate {
            case .applied: continue
            case .warned(let note):
                diagnostics.append(.warning("unsupported-key", "'\(path)' is not applied by berth: \(note)", at: pair.key.location, service: service))
            case .refused(let note):
                diagnostics.append(.error("unsupported-key", "'\(path)' is refused: \(note)", at: pair.key.location, service: service))
            }
        }
    }

    mutating func checkKeys(_ node: YAMLNode, known: Set<String>, context: String, isError: Bool = true, service: String? = nil) {
        guard let pairs = node.mapping else { return }
        for pair in pairs {
            guard let key = pair.key.scalarText, !key.hasPrefix("x-"), !known.contains(key) else { continue }
            let message = "unknown key '\(key)' in \(context)\(Suggestion.didYouMean(key, in: known.sorted()))"
            diagnostics.append(Diagnostic(isError ? .error : .warning, code: "unknown-key", message, at: pair.key.location, service: service))
        }
    }

    mutating func mapping(_ node: YAMLNode?, _ field: String) -> [YAMLPair] {
        guard let node, !node.isNull else { return [] }
        guard let pairs = node.mapping else {
            error("invalid-type", "'\(field)' must be a mapping, not \(node.kindName)", node)
            return []
        }
        return pairs
    }

    func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~") { return (NSString(string: path).expandingTildeInPath as String) }
        return URL(fileURLWithPath: workingDirectory).appendingPathComponent(path).standardizedFileURL.path
    }

    // MARK: project

    mutating func decodeProject(_ root: YAMLNode, files: [String]) -> ComposeProject {
        var project = ComposeProject(name: projectName, workingDirectory: workingDirectory, files: files, services: [],
                                     networks: [], volumes: [], secrets: [], configs: [], disabledServices: [])
        guard root.mapping != nil else {
            if !root.isNull { error("invalid-type", "a Compose file must be a mapping at the top level, not \(root.kindName)", root) }
            return project
        }
        checkSection(root, ComposeKeys.topLevel, context: "the Compose file")
        project.ignoredLints = ignoredLints(root)
        for section in ["services", "networks", "volumes", "secrets", "configs"] {
            for pair in mapping(root[section], section) { checkName(pair.key, section: section) }
        }
        for pair in mapping(root["services"], "services") {
            guard let name = pair.key.scalarText else { continue }
            if let service = decodeService(name: name, pair.value, key: pair.key) { project.services.append(service) }
        }
        for pair in mapping(root["networks"], "networks") {
            guard let name = pair.key.scalarText else { continue }
            project.networks.append(decodeNetwork(name: name, pair.value, key: pair.key))
        }
        for pair in mapping(root["volumes"], "volumes") {
            guard let name = pair.key.scalarText else { continue }
            project.volumes.append(decodeVolume(name: name, pair.value, key: pair.key))
        }
        for (field, keyPath) in [("secrets", \ComposeProject.secrets), ("configs", \ComposeProject.configs)] {
            for pair in mapping(root[field], field) {
                guard let name = pair.key.scalarText else { continue }
                project[keyPath: keyPath].append(decodeFileObject(name: name, pair.value, key: pair.key, field: field))
            }
        }
        return project
    }

    /// `x-berth: {ignore: [code, ...]}`: lint codes silenced where it is written.
    mutating func ignoredLints(_ node: YAMLNode) -> Set<String> {
        guard let berth = node["x-berth"], !berth.isNull else { return [] }
        guard berth.mapping != nil else {
            error("invalid-type", "'x-berth' must be a mapping such as {ignore: [datastore-exposed]}", berth)
            return []
        }
        checkKeys(berth, known: ["ignore"], context: "x-berth", isError: false)
        return Set(stringList(berth["ignore"], "x-berth.ignore", allowString: true))
    }

    /// Names of services, networks, volumes, secrets and configs are `[a-zA-Z0-9._-]+`, as the compose-spec schema says.
    mutating func checkName(_ key: YAMLNode, section: String) {
        guard let name = key.scalarText else { return }
        let allowed = !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
        if !allowed {
            diagnostics.append(.error("invalid-name", "'\(name)' is not a valid name in '\(section)': use letters, digits, '.', '_' and '-'", at: key.location))
        }
    }
}
