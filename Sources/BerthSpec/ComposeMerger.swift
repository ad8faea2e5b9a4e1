import BerthYAML

/// Merges Compose files node by node with Compose's rules, so that every merged value keeps the location where it was
/// written: mappings merge by key, scalars are replaced, `command`/`entrypoint`/`healthcheck.test` are replaced,
/// key=value lists (environment, labels, ...) merge by key, `ports` append, `volumes` merge by target, other lists
/// append without repeats. `!reset` removes a value and `!override` replaces it whole.
public enum ComposeMerger {
    static let resetTag = "!reset"
    static let overrideTag = "!override"

    /// Keys of a service whose list or mapping forms merge as a mapping by key.
    static let keyedServiceFields: Set<String> = [
        "environment", "labels", "annotations", "sysctls", "depends_on", "networks", "ulimits",
        "storage_opt",
    ]
    /// Keys of a service that are lists (a lone string counts as a one-item list); they append without repeats.
    static let listServiceFields: Set<String> = [
        "tmpfs", "dns", "dns_search", "dns_opt", "env_file", "expose", "cap_add", "cap_drop", "profiles",
        "security_opt", "external_links", "group_add", "volumes_from",
    ]
    static let replacedServiceFields: Set<String> = ["command", "entrypoint", "image", "network_mode"]

    /// Merges `override` onto `base` for whole Compose documents.
    public static func mergeDocuments(_ base: YAMLNode, _ override: YAMLNode) -> YAMLNode {
        guard let basePairs = base.mapping, let overridePairs = override.mapping else { return override }
        var result = basePairs
        for pair in overridePairs {
            guard let key = pair.key.scalarText else { continue }
            if let index = result.firstIndex(where: { $0.key.scalarText == key }) {
                if pair.value.tag == resetTag {
                    result.remove(at: index)
                    continue
                }
                let merged: YAMLNode
                switch key {
                case "services":
                    merged = mergeNamed(result[index].value, pair.value, merge: mergeService)
                case "networks", "volumes", "secrets", "configs":
                    merged = mergeNamed(result[index].value, pair.value, merge: mergeGeneric)
                default:
                    merged = mergeGeneric(result[index].value, pair.value)
                }
                result[index] = YAMLPair(key: result[index].key, value: merged)
            } else if pair.value.tag != resetTag {
                result.append(pair)
            }
        }
        var node = base
        node.content = .mapping(result)
        return node
    }

    static func mergeNamed(_ base: YAMLNode, _ override: YAMLNode, merge: (YAMLNode, YAMLNode) -> YAMLNode) -> YAMLNode {
        if override.tag == overrideTag { return override }
        guard let basePairs = base.mapping, let overridePairs = override.mapping else {
            return override.isNull ? base : override
        }
        var result = basePairs
        for pair in overridePairs {
            if let index = result.firstIndex(where: { $0.key.scalarText == pair.key.scalarText }) {
                if pair.value.tag == resetTag {
                    result.remove(at: index)
                } else if let key = pair.key.scalarText, key == "labels" || key == "annotations" {
                    let merged = mergeGeneric(keyed(result[index].value, field: key), keyed(pair.value, field: key))
                    result[index] = YAMLPair(key: result[index].key, value: merged)
                } else {
                    result[index] = YAMLPair(key: result[index].key, value: merge(result[index].value, pair.value))
                }
            } else if pair.value.tag != resetTag {
                result.append(pair)
            }
        }
        var node = base
        node.content = .mapping(result)
        return node
    }

    /// Merges one service definition onto another (also used by `extends`).
    public static func mergeService(_ base: YAMLNode, _ override: YAMLNode) -> YAMLNode {
        if override.tag == overrideTag { return override }
        guard let basePairs = base.mapping, let overridePairs = override.mapping else {
            return override.isNull ? base : override
        }
        var result = basePairs
        for pair in overridePairs {
            guard let key = pair.key.scalarText else { continue }
            guard let index = result.firstIndex(where: { $0.key.scalarText == key }) else {
                if pair.value.tag != resetTag { result.append(pair) }
                continue
            }
            if pair.value.tag == resetTag {
                result.remove(at: index)
                continue
            }
            let old = result[index].value
            let merged: YAMLNode
            if pair.value.tag == overrideTag || replacedServiceFields.contains(key) {
                merged = pair.value
            } else if keyedServiceFields.contains(key) {
                merged = mergeGeneric(keyed(old, field: key), keyed(pair.value, field: key))
            } else if key == "volumes" {
                merged = mergeList(old, pair.value) { mountTarget($0) }
            } else if key == "secrets" || key == "configs" {
                merged = mergeList(old, pair.value) { $0.scalarText ?? $0["source"]?.scalarText }
            } else if listServiceFields.contains(key) {
                merged = mergeList(old, pair.value) { _ in nil }
            } else if key == "extra_hosts" {
                merged = mergeList(hostList(old), hostList(pair.value)) { _ in nil }
            } else if key == "links" {
                merged = mergeList(old, pair.value) { $0.scalarText?.split(whereSeparator: { $0 == ":" || $0 == "=" }).first.map(String.init) }
            } else if key == "ports" {
                merged = mergeList(old, pair.value) { _ in nil }
            } else if key == "healthcheck" {
                merged = mergeHealthcheck(old, pair.value)
            } else if key == "logging" {
                // Another driver replaces the whole logging section; the same (or no) driver merges the options.
                let driver = pair.value["driver"]?.scalarText
                merged = driver != nil && driver != old["driver"]?.scalarText ? pair.value : mergeGeneric(old, pair.value)
            } else if key == "devices" {
                // Devices merge by their path in the container, as compose-go does.
                merged = mergeList(old, pair.value) { item in
                    guard let text = item.scalarText ?? item["target"]?.scalarText ?? item["source"]?.scalarText else { return nil }
                    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
                    return parts.count > 1 && parts[1].hasPrefix("/") ? String(parts[1]) : String(parts[0])
                }
            } else if key == "build" {
                merged = mergeGeneric(buildMapping(old), buildMapping(pair.value))
            } else {
                merged = mergeGeneric(old, pair.value)
            }
            result[index] = YAMLPair(key: result[index].key, value: merged)
        }
        var node = base
        node.content = .mapping(result)
        return node
    }

    static func mergeHealthcheck(_ base: YAMLNode, _ override: YAMLNode) -> YAMLNode {
        guard let basePairs = base.mapping, let overridePairs = override.mapping else { return override }
        var result = basePairs
        for pair in overridePairs {
            if let index = result.firstIndex(where: { $0.key.scalarText == pair.key.scalarText }) {
                result[index] = YAMLPair(key: result[index].key, value: pair.value)
            } else {
                result.append(pair)
            }
        }
        var node = base
        node.content = .mapping(result)
        return node
    }

    static func buildMapping(_ node: YAMLNode) -> YAMLNode {
        guard node.scalarText != nil else { return node }
        return YAMLNode(.mapping([YAMLPair(key: .scalar("context", at: node.location), value: node)]), location: node.location)
    }

    /// Generic merge: mappings by key (recursively), lists appended without exact repeats, scalars replaced.
    static func mergeGeneric(_ base: YAMLNode, _ override: YAMLNode) -> YAMLNode {
        if override.tag == overrideTag { return override }
        switch (base.content, override.content) {
        case (.mapping, .mapping):
            return mergeNamed(base, override, merge: mergeGeneric)
        case (.sequence(let items), .sequence):
            if items.contains(where: { $0["subnet"] != nil }) {
                // ipam config entries: the same subnet merges field by field.
                return mergeList(base, override, identity: { $0["subnet"]?.scalarText }, combine: mergeGeneric)
            }
            return mergeList(base, override) { _ in nil }
        case (.scalar, .sequence) where !base.isNull:
            return mergeList(base, override) { _ in nil }
        case (.sequence, .scalar) where !override.isNull:
            return mergeList(base, override) { _ in nil }
        default:
            return override.isNull && !base.isNull && base.mapping != nil ? base : override
        }
    }

    /// Appends `override`'s items to `base`'s; an item whose identity (by `identity`, else its content) is already
    /// there replaces it in place.
    static func mergeList(_ base: YAMLNode, _ override: YAMLNode, identity: (YAMLNode) -> String?,
                          combine: ((YAMLNode, YAMLNode) -> YAMLNode)? = nil) -> YAMLNode {
        if override.tag == overrideTag { return override }
        let baseItems = base.sequence ?? [base]
        let overrideItems = override.sequence ?? [override]
        var result = baseItems
        for item in overrideItems {
            if let id = identity(item), let index = result.firstIndex(where: { identity($0) == id }) {
                result[index] = combine.map { $0(result[index], item) } ?? item
            } else if !result.contains(where: { sameContent($0, item) }) {
                result.append(item)
            }
        }
        var node = override.sequence != nil ? override : base
        node.content = .sequence(result)
        node.tag = nil
        return node
    }

    /// Whether two nodes hold the same data, wherever they were written.
    public static func sameContent(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
        switch (a.content, b.content) {
        case (.scalar(let x, _), .scalar(let y, _)): return x == y
        case (.sequence(let x), .sequence(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameContent($0, $1) }
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameContent($0.key, $1.key) && sameContent($0.value, $1.value) }
        default: return false
        }
    }

    static func mountTarget(_ node: YAMLNode) -> String? {
        if let target = node["target"]?.scalarText { return target }
        guard let text = node.scalarText else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 1 { return String(parts[0]) }
        return String(parts[1])
    }

    /// `extra_hosts` as a list of `host=address` (a mapping is taken in key order, a list of addresses expands).
    static func hostList(_ node: YAMLNode) -> YAMLNode {
        guard let pairs = node.mapping else { return node }
        var items: [YAMLNode] = []
        for pair in pairs.sorted(by: { ($0.key.scalarText ?? "") < ($1.key.scalarText ?? "") }) {
            let host = pair.key.scalarText ?? ""
            for address in pair.value.sequence ?? [pair.value] {
                var item = address
                item.content = .scalar("\(host)=\(address.scalarText ?? "")", .plain)
                items.append(item)
            }
        }
        return YAMLNode(.sequence(items), location: node.location)
    }

    /// Turns the list form of a key=value field into its mapping form (`- A=1` -> `A: "1"`, `- net` -> `net:`).
    static func keyed(_ node: YAMLNode, field: String) -> YAMLNode {
        guard let items = node.sequence else { return node }
        var pairs: [YAMLPair] = []
        for item in items {
            guard let text = item.scalarText else { continue }
            let separator: Character = field == "extra_hosts" && !text.contains("=") ? ":" : "="
            if field == "depends_on" || field == "networks" {
                let value: YAMLNode = field == "depends_on"
                    ? YAMLNode(.mapping([YAMLPair(key: .scalar("condition", at: item.location),
                                                  value: .scalar("service_started", at: item.location))]), location: item.location)
                    : YAMLNode(.scalar("", .plain), location: item.location)
                pairs.removeAll { $0.key.scalarText == text }
                pairs.append(YAMLPair(key: item, value: value))
            } else if let split = text.firstIndex(of: separator) {
                let key = String(text[..<split])
                var value = item
                value.content = .scalar(String(text[text.index(after: split)...]), .doubleQuoted)
                if field == "extra_hosts" {
                    // Several addresses for one host are kept as a list.
                    if let index = pairs.firstIndex(where: { $0.key.scalarText == key }) {
                        var list = pairs[index].value.sequence ?? [pairs[index].value]
                        list.append(value)
                        pairs[index] = YAMLPair(key: pairs[index].key, value: YAMLNode(.sequence(list), location: item.location))
                        continue
                    }
                }
                pairs.removeAll { $0.key.scalarText == key }
                pairs.append(YAMLPair(key: YAMLNode(.scalar(key, .plain), location: item.location), value: value))
            } else {
                pairs.removeAll { $0.key.scalarText == text }
                pairs.append(YAMLPair(key: item, value: YAMLNode(.scalar("", .plain), location: item.location)))
            }
        }
        return YAMLNode(.mapping(pairs), location: node.location)
    }
}
