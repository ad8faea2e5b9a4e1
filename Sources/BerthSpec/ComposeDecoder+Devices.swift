import BerthDiagnostics
import BerthYAML

/// `blkio_config`, `gpus` and `deploy.resources.reservations.devices`.
extension ComposeDecoder {
    mutating func blkio(_ node: YAMLNode, service: String) -> BlkioConfig? {
        guard node.mapping != nil else {
            error("invalid-type", "'blkio_config' must be a mapping, not \(node.kindName)", node, service: service)
            return nil
        }
        checkKeys(node, known: ["weight", "weight_device", "device_read_bps", "device_write_bps", "device_read_iops", "device_write_iops"],
                  context: "blkio_config", service: service)
        var config = BlkioConfig()
        if let weight = node["weight"], !weight.isNull {
            if let value = weight.scalarText.flatMap({ Int64($0) }), (10...1000).contains(value) { config.weight = value } else {
                error("invalid-value", "'blkio_config.weight' must be between 10 and 1000, not '\(weight.scalarText ?? weight.kindName)'", weight, service: service)
            }
        }
        func entries(_ key: String, valueKey: String, size: Bool) -> [BlkioConfig.Entry] {
            guard let list = node[key], !list.isNull else { return [] }
            guard let items = list.sequence else {
                error("invalid-type", "'blkio_config.\(key)' must be a list, not \(list.kindName)", list, service: service)
                return []
            }
            var result: [BlkioConfig.Entry] = []
            for item in items {
                checkKeys(item, known: ["path", valueKey], context: "blkio_config.\(key)", service: service)
                guard let path = item["path"]?.scalarText, let raw = item[valueKey]?.scalarText,
                      let value = size ? ByteSize.parse(raw) : Int64(raw), value >= 0 else {
                    error("invalid-value", "each 'blkio_config.\(key)' entry needs 'path' and a \(size ? "size such as 10mb" : "whole number") '\(valueKey)'", item, service: service)
                    continue
                }
                result.append(.init(path: path, value: value))
            }
            return result
        }
        config.weightDevice = entries("weight_device", valueKey: "weight", size: false)
        config.deviceReadBps = entries("device_read_bps", valueKey: "rate", size: true)
        config.deviceWriteBps = entries("device_write_bps", valueKey: "rate", size: true)
        config.deviceReadIOps = entries("device_read_iops", valueKey: "rate", size: false)
        config.deviceWriteIOps = entries("device_write_iops", valueKey: "rate", size: false)
        return config
    }

    /// `gpus: all`, or a list of device entries; each request gets the `gpu` capability, as Compose adds it.
    mutating func gpus(_ node: YAMLNode, service: String) -> [DeviceRequest] {
        if node.scalarText == "all" { return [DeviceRequest(count: -1, capabilities: ["gpu"])] }
        return devices(node, key: "gpus", service: service).map { request in
            var request = request
            if !request.capabilities.contains("gpu") { request.capabilities.append("gpu") }
            return request
        }
    }

    /// Device entries: `capabilities`, `driver`, `count` (a number or `all`), `device_ids`, `options`. With neither a
    /// count nor ids, every device is asked for (compose-go's default).
    mutating func devices(_ node: YAMLNode, key: String, service: String) -> [DeviceRequest] {
        guard let items = node.sequence else {
            error("invalid-type", "'\(key)' must be a list of devices, not \(node.kindName)", node, service: service)
            return []
        }
        var requests: [DeviceRequest] = []
        for item in items {
            guard item.mapping != nil else {
                error("invalid-type", "each '\(key)' entry must be a mapping, not \(item.kindName)", item, service: service)
                continue
            }
            checkKeys(item, known: ["capabilities", "driver", "count", "device_ids", "options"], context: "a device of '\(key)'", service: service)
            var request = DeviceRequest()
            request.driver = string(item["driver"], "driver")
            request.capabilities = stringList(item["capabilities"], "capabilities")
            request.deviceIDs = stringList(item["device_ids"], "device_ids")
            request.options = keyValues(item["options"], "options")
            if let count = item["count"], !count.isNull {
                if count.scalarText == "all" { request.count = -1 } else if let value = count.scalarText.flatMap({ Int64($0) }), value >= 0 {
                    request.count = value
                } else {
                    error("invalid-value", "'count' must be a number or 'all', not '\(count.scalarText ?? count.kindName)'", count, service: service)
                }
            }
            if request.count == nil, request.deviceIDs.isEmpty { request.count = -1 }
            if request.count != nil, request.count != -1, !request.deviceIDs.isEmpty {
                error("invalid-value", "a device request takes 'count' or 'device_ids', not both", item, service: service)
            }
            requests.append(request)
        }
        return requests
    }

    /// A real-time CPU time in microseconds: a whole number, or a duration (`400ms`).
    mutating func microseconds(_ node: YAMLNode, _ key: String, service: String) -> Int64? {
        guard let text = node.scalarText else {
            error("invalid-type", "'\(key)' must be microseconds or a duration, not \(node.kindName)", node, service: service)
            return nil
        }
        if let value = Int64(text), value >= 0 { return value }
        if let duration = DurationParser.parse(text) {
            let (seconds, attoseconds) = duration.components
            return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        }
        error("invalid-value", "'\(key)' must be microseconds or a duration such as 400ms, not '\(text)'", node, service: service)
        return nil
    }
}
