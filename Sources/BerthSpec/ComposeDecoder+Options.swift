import Foundation
import BerthDiagnostics
import BerthYAML

/// The container options of a service (resources, limits, logging, security, namespaces, DNS), and its `deploy`
/// section in single-engine mode, as docker compose reads them.
extension ComposeDecoder {
    mutating func decodeOptions(_ node: YAMLNode, service: String) -> ContainerOptions {
        var options = ContainerOptions()
        func note(_ key: String, _ value: YAMLNode?) { if let value { options.locations[key] = value.location } }
        func size(_ key: String) -> Int64? {
            guard let value = node[key], !value.isNull else { return nil }
            note(key, value)
            return byteSize(value, key, example: "512m or 2g", service: service)
        }
        func integer(_ key: String, _ range: ClosedRange<Int64>? = nil) -> Int64? {
            guard let value = node[key], !value.isNull else { return nil }
            note(key, value)
            guard let number = value.scalarText.flatMap({ Int64($0) }) else {
                error("invalid-type", "'\(key)' must be an integer, not '\(value.scalarText ?? value.kindName)'", value, service: service)
                return nil
            }
            if let range, !range.contains(number) {
                error("invalid-value", "'\(key)' must be between \(range.lowerBound) and \(range.upperBound), not \(number)", value, service: service)
                return nil
            }
            return number
        }
        func text(_ key: String) -> String? {
            note(key, node[key])
            return string(node[key], key)
        }

        if let value = node["cpus"], !value.isNull {
            note("cpus", value)
            if let cpus = cpuCount(value, "cpus", service: service) { options.nanoCPUs = cpus }
        }
        options.cpuShares = integer("cpu_shares", 0...262_144)
        options.cpuQuota = integer("cpu_quota")
        options.cpuPeriod = integer("cpu_period")
        options.cpuset = text("cpuset")
        options.memory = size("mem_limit")
        options.memoryReservation = size("mem_reservation")
        if let swap = node["memswap_limit"], swap.scalarText == "-1" {
            note("memswap_limit", swap)
            options.memorySwap = -1
        } else {
            options.memorySwap = size("memswap_limit")
        }
        options.memorySwappiness = integer("mem_swappiness", 0...100)
        options.pidsLimit = integer("pids_limit")
        options.shmSize = size("shm_size")
        options.oomScoreAdj = integer("oom_score_adj", -1000...1000)
        note("oom_kill_disable", node["oom_kill_disable"])
        options.oomKillDisable = bool(node["oom_kill_disable"], "oom_kill_disable")
        options.ulimits = ulimits(node["ulimits"], service: service)
        note("ulimits", node["ulimits"])
        if let logging = node["logging"], !logging.isNull {
            note("logging", logging)
            if logging.mapping == nil {
                error("invalid-type", "'logging' must be a mapping, not \(logging.kindName)", logging, service: service)
            } else {
                checkSection(logging, ComposeKeys.logging, context: "logging", service: service)
                options.logging = ContainerOptions.Logging(driver: string(logging["driver"], "logging.driver"),
                                                           options: keyValues(logging["options"], "logging.options"))
            }
        }
        options.securityOpt = stringList(node["security_opt"], "security_opt")
        note("security_opt", node["security_opt"])
        for (index, entry) in options.securityOpt.enumerated() {
            let at = node["security_opt"]?.sequence?[index] ?? node["security_opt"]!
            if entry == "systempaths=unconfined" || entry == "no-new-privileges" { continue }
            let parts = entry.contains("=") ? entry.split(separator: "=", maxSplits: 1) : entry.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else {
                error("invalid-value", "invalid security_opt '\(entry)': expected KEY=VALUE, such as 'seccomp=profile.json' or 'label=disable'", at, service: service)
                continue
            }
            guard parts[0] == "seccomp", parts[1] != "unconfined", parts[1] != "builtin" else { continue }
            let file = absolutePath(String(parts[1]))
            guard let data = FileManager.default.contents(atPath: file) else {
                error("file-not-found", "seccomp profile '\(parts[1])' not found (at \(file))", at, service: service)
                continue
            }
            guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
                error("invalid-value", "seccomp profile '\(parts[1])' is not JSON", at, service: service)
                continue
            }
            options.seccompProfiles[String(parts[1])] = Self.compactJSON(String(decoding: data, as: UTF8.self))
        }
        if let value = node["isolation"], !value.isNull {
            note("isolation", value)
            options.isolation = isolation(value, "isolation", service: service)
        }
        if let value = node["blkio_config"], !value.isNull {
            note("blkio_config", value)
            options.blkio = blkio(value, service: service)
        }
        for (key, path) in [("cpu_rt_period", \ContainerOptions.cpuRealtimePeriod), ("cpu_rt_runtime", \ContainerOptions.cpuRealtimeRuntime)] {
            guard let value = node[key], !value.isNull else { continue }
            note(key, value)
            options[keyPath: path] = microseconds(value, key, service: service)
        }
        if let value = node["gpus"], !value.isNull {
            note("gpus", value)
            options.deviceRequests += gpus(value, service: service)
        }
        options.pid = text("pid")
        options.ipc = text("ipc")
        options.uts = text("uts")
        options.cgroup = text("cgroup")
        if let cgroup = options.cgroup, !["host", "private"].contains(cgroup), let value = node["cgroup"] {
            error("invalid-value", "'cgroup' must be host or private, not '\(cgroup)'", value, service: service)
        }
        options.cgroupParent = text("cgroup_parent")
        options.userns = text("userns_mode")
        options.runtime = text("runtime")
        options.groupAdd = stringList(node["group_add"], "group_add")
        options.dnsSearch = stringList(node["dns_search"], "dns_search", allowString: true)
        options.dnsOptions = stringList(node["dns_opt"], "dns_opt")
        options.deviceCgroupRules = stringList(node["device_cgroup_rules"], "device_cgroup_rules")
        options.storageOpt = keyValues(node["storage_opt"], "storage_opt")
        note("storage_opt", node["storage_opt"])
        note("sysctls", node["sysctls"])
        note("devices", node["devices"])
        options.macAddress = text("mac_address")
        options.annotations = keyValues(node["annotations"], "annotations")
        note("annotations", node["annotations"])
        if let deploy = node["deploy"], !deploy.isNull { decodeDeploy(deploy, into: &options, top: node, service: service) }
        return options
    }

    /// `cpus` as Compose reads it: a number of CPUs, in billionths (`NanoCpus`); 0 means no limit.
    mutating func cpuCount(_ value: YAMLNode, _ key: String, service: String) -> Int64? {
        guard let text = value.scalarText, let cpus = Double(text), cpus.isFinite, cpus >= 0, cpus < 1e6 else {
            error("invalid-value", "'\(key)' must be a number of CPUs such as 0.5 or 2, not '\(value.scalarText ?? value.kindName)'", value, service: service)
            return nil
        }
        return cpus == 0 ? nil : Int64((cpus * 1e9).rounded())
    }

    /// `ulimits`: `nofile: 1024` (soft = hard) or `nofile: {soft: 1024, hard: 2048}`.
    mutating func ulimits(_ node: YAMLNode?, service: String) -> [ContainerOptions.Ulimit] {
        mapping(node, "ulimits").compactMap { pair in
            guard let name = pair.key.scalarText else { return nil }
            if let single = pair.value.scalarText.flatMap({ Int64($0) }) { return .init(name: name, soft: single, hard: single) }
            if pair.value.mapping != nil {
                checkKeys(pair.value, known: ["soft", "hard"], context: "ulimits.\(name)", service: service)
                guard let soft = pair.value["soft"]?.scalarText.flatMap({ Int64($0) }), let hard = pair.value["hard"]?.scalarText.flatMap({ Int64($0) }) else {
                    error("invalid-value", "'ulimits.\(name)' needs integer 'soft' and 'hard'", pair.value, service: service)
                    return nil
                }
                if soft > hard { error("invalid-value", "'ulimits.\(name)': soft \(soft) is above hard \(hard)", pair.value, service: service) }
                return .init(name: name, soft: soft, hard: hard)
            }
            error("invalid-type", "'ulimits.\(name)' must be an integer or {soft, hard}, not \(pair.value.kindName)", pair.value, service: service)
            return nil
        }
    }

    /// `deploy` in single-engine mode: `resources` take the place of their top-level twins (refused when both are
    /// given and differ, as compose-go does), and `restart_policy` is the restart policy.
    mutating func decodeDeploy(_ deploy: YAMLNode, into options: inout ContainerOptions, top: YAMLNode, service: String) {
        guard deploy.mapping != nil else {
            error("invalid-type", "'deploy' must be a mapping, not \(deploy.kindName)", deploy, service: service)
            return
        }
        checkSection(deploy, ComposeKeys.deploy, context: "deploy", service: service)
        if let resources = deploy["resources"], !resources.isNull {
            checkSection(resources, ComposeKeys.resources, context: "deploy.resources", service: service)
            if let limits = resources["limits"], !limits.isNull {
                checkSection(limits, ComposeKeys.limits, context: "deploy.resources.limits", service: service)
                if let cpus = limits["cpus"], let value = cpuCount(cpus, "deploy.resources.limits.cpus", service: service) {
                    twin(cpus, "cpus", top: top, same: value == options.nanoCPUs, service: service)
                    options.nanoCPUs = value
                    options.locations["cpus"] = cpus.location
                }
                if let bytes = deploySize(limits["memory"], "deploy.resources.limits.memory", twin: "mem_limit", current: options.memory, top: top, service: service) {
                    options.memory = bytes
                    options.locations["mem_limit"] = limits["memory"]?.location
                }
                if let pids = limits["pids"], let value = int(pids, "deploy.resources.limits.pids") {
                    twin(pids, "pids_limit", top: top, same: Int64(value) == options.pidsLimit, service: service)
                    options.pidsLimit = Int64(value)
                    options.locations["pids_limit"] = pids.location
                }
            }
            if let reservations = resources["reservations"], !reservations.isNull {
                checkSection(reservations, ComposeKeys.reservations, context: "deploy.resources.reservations", service: service)
                if let bytes = deploySize(reservations["memory"], "deploy.resources.reservations.memory", twin: "mem_reservation",
                                          current: options.memoryReservation, top: top, service: service) {
                    options.memoryReservation = bytes
                    options.locations["mem_reservation"] = reservations["memory"]?.location
                }
                if let devices = reservations["devices"], !devices.isNull {
                    options.deviceRequests += self.devices(devices, key: "deploy.resources.reservations.devices", service: service)
                    options.locations["gpus"] = options.locations["gpus"] ?? devices.location
                }
            }
        }
        if let scale = top["scale"], let replicas = deploy["replicas"], scale.scalarText != replicas.scalarText {
            error("invalid-value", "'scale' (\(scale.scalarText ?? "")) and 'deploy.replicas' (\(replicas.scalarText ?? "")) disagree", replicas, service: service)
            error("invalid-value", "'scale' (\(scale.scalarText ?? "")) and 'deploy.replicas' (\(replicas.scalarText ?? "")) disagree", scale, service: service)
        }
    }

    /// A size under `deploy.resources`, checked against its top-level twin; nil when absent or invalid (reported).
    mutating func deploySize(_ node: YAMLNode?, _ path: String, twin key: String, current: Int64?, top: YAMLNode, service: String) -> Int64? {
        guard let node, let text = node.scalarText else { return nil }
        guard let bytes = ByteSize.parse(text) else {
            error("invalid-value", "'\(path)' must be a size such as 512m, not '\(text)'", node, service: service)
            return nil
        }
        twin(node, key, top: top, same: bytes == current, service: service)
        return bytes
    }

    /// A `deploy.resources` value whose top-level twin is also written with another value: an error at both lines.
    mutating func twin(_ value: YAMLNode, _ key: String, top: YAMLNode, same: Bool, service: String) {
        guard let other = top[key], !other.isNull, !same else { return }
        let message = "'\(key)' and its deploy.resources twin disagree (\(other.scalarText ?? "") and \(value.scalarText ?? ""))"
        error("invalid-value", message, value, service: service)
        error("invalid-value", message, other, service: service)
    }

    /// `deploy.restart_policy` as a restart policy, over `restart` (Compose's `getRestartPolicy`): `none` is `no`,
    /// `any` (the default) is `always`, and `max_attempts` is the retry count, which the engine takes with
    /// `on-failure` only.
    mutating func deployRestart(_ policy: YAMLNode, service: String) -> String? {
        guard policy.mapping != nil else {
            error("invalid-type", "'deploy.restart_policy' must be a mapping, not \(policy.kindName)", policy, service: service)
            return nil
        }
        checkSection(policy, ComposeKeys.restartPolicy, context: "deploy.restart_policy", service: service)
        let condition = string(policy["condition"], "deploy.restart_policy.condition") ?? "any"
        let name: String
        switch condition {
        case "none": name = "no"
        case "any", "always": name = "always"
        case "on-failure", "unless-stopped": name = condition
        default:
            error("invalid-value", "'deploy.restart_policy.condition' must be none, on-failure or any, not '\(condition)'", policy["condition"] ?? policy, service: service)
            return nil
        }
        guard let attempts = int(policy["max_attempts"], "deploy.restart_policy.max_attempts"), attempts > 0 else { return name }
        guard name == "on-failure" else {
            error("invalid-value", "'deploy.restart_policy.max_attempts' needs condition on-failure: the engine refuses a retry count with '\(name)'",
                  policy["max_attempts"] ?? policy, service: service)
            return name
        }
        return "on-failure:\(attempts)"
    }

    /// JSON without the whitespace between tokens, the text kept as it is (Go's `json.Compact`).
    static func compactJSON(_ text: String) -> String {
        var out = ""
        var inString = false, escaped = false
        for character in text {
            if inString {
                out.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
                out.append(character)
            } else if !character.isWhitespace {
                out.append(character)
            }
        }
        return out
    }
}
