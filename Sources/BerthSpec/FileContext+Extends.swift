import BerthDiagnostics
import BerthYAML
import Foundation

/// `extends`: a service built on another, from the same file or another one.
extension FileContext {
    /// Replaces each service's `extends` with the merged result of the service it extends.
    mutating func resolveExtends(in root: YAMLNode, file: String) -> YAMLNode {
        guard let services = root["services"]?.mapping, services.contains(where: { $0.value["extends"] != nil }) else { return root }
        var resolvedServices: [YAMLPair] = []
        for pair in services {
            guard let name = pair.key.scalarText else { continue }
            var chain: [String] = []
            let resolved = resolveService(name: name, node: pair.value, file: file, root: root, chain: &chain)
            resolvedServices.append(YAMLPair(key: pair.key, value: resolved))
        }
        var result = root
        if case .mapping(var pairs) = root.content, let index = pairs.firstIndex(where: { $0.key.scalarText == "services" }) {
            var servicesNode = pairs[index].value
            servicesNode.content = .mapping(resolvedServices)
            pairs[index] = YAMLPair(key: pairs[index].key, value: servicesNode)
            result.content = .mapping(pairs)
        }
        return result
    }

    private mutating func resolveService(name: String, node: YAMLNode, file: String, root: YAMLNode, chain: inout [String]) -> YAMLNode {
        guard let extends = node["extends"] else { return node }
        let marker = "\(file)#\(name)"
        if chain.contains(marker) {
            let path = (chain + [marker]).map { $0.components(separatedBy: "#").last ?? $0 }.joined(separator: " -> ")
            diagnostics.append(.error("extends-cycle", "circular 'extends': \(path)", at: extends.location, service: name))
            return withoutExtends(node)
        }
        chain.append(marker)
        defer { chain.removeLast() }
        var baseName: String?
        var baseFile = file
        if let text = extends.scalarText {
            baseName = text
        } else {
            baseName = extends["service"]?.scalarText
            if let other = extends["file"]?.scalarText {
                baseFile = ProjectLoader.absolute(other, from: URL(fileURLWithPath: file).deletingLastPathComponent().path)
            }
        }
        guard let baseName else {
            diagnostics.append(.error("invalid-extends", "'extends' needs a service name", at: extends.location, service: name))
            return withoutExtends(node)
        }
        let baseRoot: YAMLNode
        if baseFile == file {
            baseRoot = root
        } else {
            guard FileManager.default.fileExists(atPath: baseFile), let other = read(baseFile) else {
                diagnostics.append(.error("file-not-found", "'extends' refers to a file that cannot be read: '\(baseFile)'", at: extends.location, service: name))
                return withoutExtends(node)
            }
            baseRoot = other
        }
        guard let baseNode = baseRoot["services"]?[baseName] else {
            let names = baseRoot["services"]?.mapping?.compactMap(\.key.scalarText) ?? []
            diagnostics.append(.error("unknown-service", "'extends' refers to unknown service '\(baseName)'\(Suggestion.didYouMean(baseName, in: names))", at: extends.location, service: name))
            return withoutExtends(node)
        }
        var resolvedBase = resolveService(name: baseName, node: baseNode, file: baseFile, root: baseRoot, chain: &chain)
        if baseFile != file {
            // Relative paths in the extended file are relative to that file, not to this project.
            resolvedBase = Self.anchorPaths(resolvedBase, in: URL(fileURLWithPath: baseFile).deletingLastPathComponent().path)
        }
        return ComposeMerger.mergeService(withoutExtends(resolvedBase), withoutExtends(node))
    }

    /// Makes the relative paths of a service (build context, env files, bind-mount sources) absolute from `directory`.
    static func anchorPaths(_ service: YAMLNode, in directory: String) -> YAMLNode {
        func absolute(_ node: YAMLNode) -> YAMLNode {
            guard let text = node.scalarText, !text.hasPrefix("/"), !text.hasPrefix("~"), !text.contains("://") else { return node }
            var copy = node
            copy.content = .scalar(ProjectLoader.absolute(text, from: directory), .plain)
            return copy
        }
        guard case .mapping(var pairs) = service.content else { return service }
        for index in pairs.indices {
            let value = pairs[index].value
            switch pairs[index].key.scalarText {
            case "build":
                if value.scalarText != nil {
                    pairs[index].value = absolute(value)
                } else if case .mapping(var fields) = value.content, let context = fields.firstIndex(where: { $0.key.scalarText == "context" }) {
                    fields[context].value = absolute(fields[context].value)
                    pairs[index].value.content = .mapping(fields)
                }
            case "env_file":
                let items = (value.sequence ?? [value]).map { item -> YAMLNode in
                    guard case .mapping(var fields) = item.content, let path = fields.firstIndex(where: { $0.key.scalarText == "path" }) else {
                        return absolute(item)
                    }
                    fields[path].value = absolute(fields[path].value)
                    var copy = item
                    copy.content = .mapping(fields)
                    return copy
                }
                pairs[index].value.content = .sequence(items)
            case "volumes":
                guard let items = value.sequence else { continue }
                pairs[index].value.content = .sequence(items.map { item in
                    // Long syntax: a bind's relative `source` is relative to the file that declares it too.
                    if case .mapping(var fields) = item.content, let source = fields.firstIndex(where: { $0.key.scalarText == "source" }) {
                        let type = fields.first { $0.key.scalarText == "type" }?.value.scalarText
                        guard type == "bind" || (type == nil && fields[source].value.scalarText?.hasPrefix(".") == true) else { return item }
                        fields[source].value = absolute(fields[source].value)
                        var copy = item
                        copy.content = .mapping(fields)
                        return copy
                    }
                    guard let text = item.scalarText, text.hasPrefix(".") else { return item }
                    var copy = item
                    let split = text.firstIndex(of: ":") ?? text.endIndex
                    copy.content = .scalar(ProjectLoader.absolute(String(text[..<split]), from: directory) + text[split...], .plain)
                    return copy
                })
            default:
                continue
            }
        }
        var copy = service
        copy.content = .mapping(pairs)
        return copy
    }

    private func withoutExtends(_ node: YAMLNode) -> YAMLNode {
        guard case .mapping(let pairs) = node.content else { return node }
        var copy = node
        copy.content = .mapping(pairs.filter { $0.key.scalarText != "extends" })
        return copy
    }
}
