import DockerEngine
import Foundation

/// A container's resource use, computed from the engine's stats as `docker stats` does (cli/command/container/
/// stats_helpers.go): CPU against the host's over the sampling interval, memory without the page cache.
struct ContainerStats {
    var cpuPercent: Double
    var memoryUsage: Double
    var memoryLimit: Double
    var networkReceived: Double
    var networkSent: Double
    var blockRead: Double
    var blockWritten: Double
    var pids: Int

    init(_ stats: JSONValue) {
        func number(_ value: JSONValue?) -> Double { value?.double ?? 0 }
        let cpu = stats["cpu_stats"], previous = stats["precpu_stats"]
        let cpuDelta = number(cpu?["cpu_usage"]?["total_usage"]) - number(previous?["cpu_usage"]?["total_usage"])
        let systemDelta = number(cpu?["system_cpu_usage"]) - number(previous?["system_cpu_usage"])
        var online = number(cpu?["online_cpus"])
        if online == 0 { online = Double(cpu?["cpu_usage"]?["percpu_usage"]?.array?.count ?? 1) }
        cpuPercent = cpuDelta > 0 && systemDelta > 0 ? cpuDelta / systemDelta * online * 100 : 0
        let memory = stats["memory_stats"]
        let cache = memory?["stats"]?["inactive_file"] ?? memory?["stats"]?["total_inactive_file"] ?? memory?["stats"]?["cache"]
        memoryUsage = max(0, number(memory?["usage"]) - number(cache))
        memoryLimit = number(memory?["limit"])
        var received = 0.0, sent = 0.0
        for (_, network) in stats["networks"]?.object ?? [:] {
            received += number(network["rx_bytes"])
            sent += number(network["tx_bytes"])
        }
        networkReceived = received
        networkSent = sent
        var read = 0.0, written = 0.0
        for entry in stats["blkio_stats"]?["io_service_bytes_recursive"]?.array ?? [] {
            switch entry["op"]?.string?.lowercased() {
            case "read": read += number(entry["value"])
            case "write": written += number(entry["value"])
            default: break
            }
        }
        blockRead = read
        blockWritten = written
        pids = stats["pids_stats"]?["current"]?.int ?? 0
    }

    var memoryPercent: Double { memoryLimit > 0 ? memoryUsage / memoryLimit * 100 : 0 }

    /// The docker CLI's sizes (go-units): `%.<precision>g` with decimal (kB, MB) or binary (KiB, MiB) units.
    static func size(_ value: Double, precision: Int, binary: Bool) -> String {
        let units = binary ? ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] : ["B", "kB", "MB", "GB", "TB", "PB"]
        let base = binary ? 1024.0 : 1000.0
        var value = value
        var unit = 0
        while value >= base, unit < units.count - 1 {
            value /= base
            unit += 1
        }
        return String(format: "%.\(precision)g", value) + units[unit]
    }

    /// The row fields by the docker CLI's names.
    func fields(id: String, name: String) -> [(String, String)] {
        [
            ("BlockIO", "\(Self.size(blockRead, precision: 3, binary: false)) / \(Self.size(blockWritten, precision: 3, binary: false))"),
            ("CPUPerc", String(format: "%.2f%%", cpuPercent)), ("Container", id), ("ID", id), ("MemPerc", String(format: "%.2f%%", memoryPercent)),
            ("MemUsage", "\(Self.size(memoryUsage, precision: 4, binary: true)) / \(Self.size(memoryLimit, precision: 4, binary: true))"),
            ("Name", name), ("NetIO", "\(Self.size(networkReceived, precision: 3, binary: false)) / \(Self.size(networkSent, precision: 3, binary: false))"),
            ("PIDs", String(pids)),
        ]
    }
}
