import Foundation

/// A random stack for the differential test (`DifferentialTests`), with the things outside it that hold ports.
///
/// Every service runs busybox and binds exactly the ports it declares: `httpd -p` for each container port of its
/// `ports` and `expose` (tcp), so that a port clash inside a namespace or on the host network really fails. Ports are
/// drawn from a small pool per stack, so that clashes are common. The classes:
/// - publishes on the wildcard, `0.0.0.0`, `[::]`, `127.0.0.1`, `127.0.0.2`, `[::1]`, tcp and udp, single ports and
///   ranges onto one port, with replicas;
/// - host-network services binding on all addresses or on `127.0.0.1`, with replicas;
/// - services joined to another one's namespace (`network_mode: service:X`) binding ports there, with replicas;
/// - options this host refuses (memory, CPUs, runtime, log driver, sysctls, devices);
/// - host processes holding ports (IPv4, IPv6-only, dual-stack `::`, loopback, udp), and containers of no project
///   publishing ports.
struct DifferentialStack {
    /// A socket a host process holds while the stack is checked and brought up.
    struct HostHolder: CustomStringConvertible {
        var address: String
        var port: Int
        var udp: Bool
        /// For `::`: whether the socket is IPv6-only.
        var v6only: Bool
        var description: String { "host process on \(address):\(port)/\(udp ? "udp" : "tcp")\(address == "::" ? (v6only ? " (v6only)" : " (dual-stack)") : "")" }
    }

    var yaml: String
    var hostHolders: [HostHolder]
    /// `docker run -p` arguments of containers of no project.
    var foreignPublishes: [String]
    var classes: Set<String>

    static func make(seed: UInt64) -> DifferentialStack {
        var random = SplitMix(seed: seed)
        let base = 21_000 + Int(seed % 400) * 20
        let pool = (0..<20).map { base + $0 }
        func port() -> Int { pool.randomElement(using: &random)! }
        var classes = Set<String>()
        var yaml = "services:\n"
        var names: [String] = []
        var bridgeOwners: [String] = []
        let count = Int.random(in: 2...4, using: &random)
        for index in 0..<count {
            let name = "s\(index)"
            names.append(name)
            var lines: [String] = ["    image: busybox:1.36", "    init: true"]
            var binds: [String] = []  // what httpd binds inside the container (or on the host)
            let replicas = Int.random(in: 0..<5, using: &random) == 0 ? 2 : 1
            if replicas > 1 { classes.insert("replicas") }
            let kind = index > 0 && !bridgeOwners.isEmpty && Int.random(in: 0..<4, using: &random) == 0 ? "member"
                : Int.random(in: 0..<4, using: &random) == 0 ? "host" : "bridge"
            switch kind {
            case "host":
                classes.insert("host network")
                lines.append("    network_mode: host")
                var ports: [String] = []
                for _ in 0..<Int.random(in: 1...2, using: &random) {
                    let p = port()
                    if Bool.random(using: &random) {
                        ports.append("\"127.0.0.1:\(p):\(p)\"")
                        binds.append("127.0.0.1:\(p)")
                        classes.insert("host network on 127.0.0.1")
                    } else {
                        ports.append("\"\(p)\"")
                        binds.append("\(p)")
                    }
                }
                lines.append("    ports: [\(ports.joined(separator: ", "))]")
            case "member":
                let owner = bridgeOwners.randomElement(using: &random)!
                classes.insert("shared namespace")
                lines.append("    network_mode: \"service:\(owner)\"")
                let target = [80, 81, 8080].randomElement(using: &random)!
                lines.append("    expose: [\"\(target)\"]")
                binds.append("\(target)")
            default:
                bridgeOwners.append(name)
                var ports: [String] = []
                for _ in 0..<Int.random(in: 1...2, using: &random) {
                    let target = [80, 81, 8080].randomElement(using: &random)!
                    let p = port()
                    let udp = Int.random(in: 0..<5, using: &random) == 0
                    let spec: String
                    switch Int.random(in: 0..<9, using: &random) {
                    case 0: spec = "0.0.0.0:\(p)"; classes.insert("0.0.0.0")
                    case 1: spec = "[::]:\(p)"; classes.insert("[::]")
                    case 2: spec = "127.0.0.1:\(p)"; classes.insert("127.0.0.1")
                    case 3: spec = "127.0.0.2:\(p)"; classes.insert("127.0.0.2")
                    case 4: spec = "[::1]:\(p)"; classes.insert("[::1]")
                    case 5, 6:
                        let upper = min(p + Int.random(in: 1...2, using: &random), pool.last!)
                        spec = upper > p ? "\(p)-\(upper)" : "\(p)"
                        if upper > p { classes.insert("range") }
                    default: spec = "\(p)"; classes.insert("wildcard")
                    }
                    if udp { classes.insert("udp") }
                    ports.append("\"\(spec):\(target)\(udp ? "/udp" : "")\"")
                    if !udp { binds.append("\(target)") }
                }
                lines.append("    ports: [\(ports.joined(separator: ", "))]")
            }
            if replicas > 1 { lines.append("    deploy: {replicas: \(replicas)}") }
            // Options this host refuses, now and then.
            if Int.random(in: 0..<14, using: &random) == 0 {
                let refused = [("    mem_limit: 4m", "memory"), ("    cpus: 512", "cpus"), ("    runtime: berth-no-such-runtime", "runtime"),
                               ("    logging: {driver: berth-no-such-driver}", "log driver"), ("    devices: [/dev/berth-no-such-device]", "device"),
                               ("    sysctls: {vm.swappiness: 10}", "sysctl"), ("    ulimits: {nofile: 30000}", "ulimit"),
                               ("    oom_score_adj: -1", "oom_score_adj"), ("    storage_opt: {size: 1G}", "storage_opt")].randomElement(using: &random)!
                lines.append(refused.0)
                classes.insert("refused option: \(refused.1)")
            }
            // Each bind must succeed, or the container exits with 1: `httpd` (without -f) binds, then goes to the
            // background.
            let unique = Array(Set(binds)).sorted()
            let script = unique.map { "httpd -p \($0) -h / || exit 1" }.joined(separator: "; ")
            lines.append("    command: [sh, -c, \"\(script.isEmpty ? "" : script + "; ")exec sleep 300\"]")
            yaml += "  \(name):\n" + lines.joined(separator: "\n") + "\n"
        }
        var holders: [HostHolder] = []
        for _ in 0..<Int.random(in: 0...1, using: &random) {
            let choice = Int.random(in: 0..<6, using: &random)
            let address = ["0.0.0.0", "127.0.0.1", "::1", "::", "::", "127.0.0.2"][choice]
            let holder = HostHolder(address: address, port: port(), udp: Int.random(in: 0..<5, using: &random) == 0, v6only: choice == 4)
            holders.append(holder)
            classes.insert("host process")
        }
        var foreign: [String] = []
        if Int.random(in: 0..<4, using: &random) == 0 {
            foreign.append(["", "127.0.0.1:", "[::]:"].randomElement(using: &random)! + "\(port()):80")
            classes.insert("container of no project")
        }
        return DifferentialStack(yaml: yaml, hostHolders: holders, foreignPublishes: foreign, classes: classes)
    }
}
