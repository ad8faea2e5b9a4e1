import BerthDiagnostics
import BerthYAML
import Foundation

/// `volumes:` entries of a service, short and long syntax.
extension ComposeDecoder {
    mutating func volume(_ item: YAMLNode, service: String) -> VolumeMount? {
        if let text = item.scalarText {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            var source: String?
            var target: String
            var mode = ""
            switch parts.count {
            case 1: target = parts[0]
            case 2: source = parts[0]; target = parts[1]
            case 3: source = parts[0]; target = parts[1]; mode = parts[2]
            default:
                error("invalid-volume", "invalid volume '\(text)' (expected [SOURCE:]TARGET[:MODE])", item)
                return nil
            }
            guard !target.isEmpty else {
                error("invalid-volume", "invalid volume '\(text)': the target path is empty", item)
                return nil
            }
            var kind = VolumeMount.Kind.volume
            if let s = source, s.hasPrefix("/") || s.hasPrefix(".") || s.hasPrefix("~") {
                kind = .bind
                source = absolutePath(s)
            }
            let modes = mode.split(separator: ",")
            return VolumeMount(type: kind, source: source, target: target, readOnly: modes.contains("ro"),
                               createHostPath: kind == .bind ? true : nil, noCopy: modes.contains("nocopy") ? true : nil,
                               location: item.location)
        }
        guard item.mapping != nil else {
            error("invalid-volume", "a volume must be a string or a mapping, not \(item.kindName)", item)
            return nil
        }
        checkKeys(item, known: ["type", "source", "target", "read_only", "bind", "volume", "tmpfs", "image", "consistency"], context: "a volume")
        for (nested, keys) in [("bind", ["propagation", "create_host_path", "selinux", "recursive"]), ("volume", ["nocopy", "subpath", "labels"]),
                               ("tmpfs", ["size", "mode"]), ("image", ["subpath"])] {
            if let options = item[nested], options.mapping != nil { checkKeys(options, known: Set(keys), context: "a volume's '\(nested)'") }
        }
        let typeText = string(item["type"], "type") ?? "volume"
        guard let kind = VolumeMount.Kind(rawValue: typeText) else {
            error("invalid-volume", "invalid volume type '\(typeText)' (volume, bind, tmpfs, npipe, cluster or image)", item["type"] ?? item)
            return nil
        }
        guard let target = string(item["target"], "target") else {
            error("invalid-volume", "a volume in long syntax needs 'target'", item)
            return nil
        }
        var source = string(item["source"], "source")
        if kind == .bind, let s = source { source = absolutePath(s) }
        return VolumeMount(type: kind, source: source, target: target,
                           readOnly: bool(item["read_only"], "read_only") ?? false,
                           createHostPath: kind == .bind ? (item["bind"]?["create_host_path"].flatMap { bool($0, "create_host_path") } ?? true) : nil,
                           noCopy: item["volume"]?["nocopy"].flatMap { bool($0, "nocopy") }, location: item.location)
    }
}
