import BerthDiagnostics
import BerthYAML
import Foundation

/// `volumes:` entries of a service, short and long syntax.
extension ComposeDecoder {
    /// Bind propagations, as the engine takes them.
    static let propagations: Set<String> = ["shared", "rshared", "slave", "rslave", "private", "rprivate"]

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
            var mount = VolumeMount(type: kind, source: source, target: target, readOnly: false,
                                    createHostPath: kind == .bind ? true : nil, noCopy: nil, location: item.location)
            for option in mode.split(separator: ",").map(String.init) where !option.isEmpty {
                switch option {
                case "ro": mount.readOnly = true
                case "rw": mount.readOnly = false
                case "z", "Z": mount.selinux = option
                case "nocopy": mount.noCopy = true
                case _ where Self.propagations.contains(option): mount.propagation = option
                case "consistent", "cached", "delegated": mount.consistency = option
                default:
                    error("invalid-volume", "invalid volume '\(text)': unknown option '\(option)' (ro, rw, z, Z, nocopy, a propagation such as rshared, or cached/delegated/consistent)", item)
                    return nil
                }
            }
            return mount
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
        var mount = VolumeMount(type: kind, source: source, target: target,
                                readOnly: bool(item["read_only"], "read_only") ?? false,
                                createHostPath: kind == .bind ? (item["bind"]?["create_host_path"].flatMap { bool($0, "create_host_path") } ?? true) : nil,
                                noCopy: item["volume"]?["nocopy"].flatMap { bool($0, "nocopy") }, location: item.location)
        mount.consistency = string(item["consistency"], "consistency")
        if let bind = item["bind"], bind.mapping != nil {
            mount.propagation = string(bind["propagation"], "bind.propagation")
            if let propagation = mount.propagation, !Self.propagations.contains(propagation) {
                error("invalid-volume", "invalid bind.propagation '\(propagation)' (shared, rshared, slave, rslave, private or rprivate)", bind["propagation"]!)
            }
            mount.selinux = string(bind["selinux"], "bind.selinux")
            if let selinux = mount.selinux, selinux != "z", selinux != "Z" {
                error("invalid-volume", "invalid bind.selinux '\(selinux)' (z or Z)", bind["selinux"]!)
            }
            mount.recursive = string(bind["recursive"], "bind.recursive")
            if let recursive = mount.recursive, !["enabled", "disabled", "writable", "readonly"].contains(recursive) {
                error("invalid-volume", "invalid bind.recursive '\(recursive)' (enabled, disabled, writable or readonly)", bind["recursive"]!)
            }
        }
        if let volume = item["volume"], volume.mapping != nil {
            mount.subpath = string(volume["subpath"], "volume.subpath")
            mount.volumeLabels = keyValues(volume["labels"], "volume.labels")
        }
        if let image = item["image"], image.mapping != nil { mount.subpath = string(image["subpath"], "image.subpath") ?? mount.subpath }
        if let tmpfs = item["tmpfs"], tmpfs.mapping != nil {
            if let size = tmpfs["size"], !size.isNull { mount.tmpfsSize = byteSize(size, "tmpfs.size", example: "64m") }
            if let modeNode = tmpfs["mode"], !modeNode.isNull {
                // A mode is written in octal (1777); YAML may have read 0o1777 or 01777.
                let text = modeNode.scalarText ?? ""
                let digits = text.hasPrefix("0o") ? String(text.dropFirst(2)) : text
                if let mode = Int(digits, radix: 8) { mount.tmpfsMode = mode } else {
                    error("invalid-value", "'tmpfs.mode' must be an octal file mode such as 1777, not '\(text)'", modeNode)
                }
            }
        }
        return mount
    }
}
