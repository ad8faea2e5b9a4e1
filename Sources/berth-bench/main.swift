// Benchmark helpers (not part of berth): generate stacks, the raw libyaml baseline, and a naive all-pairs port check.
import BerthPlan
import BerthSpec
import BerthYAML
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: berth-bench generate N FILE | events FILE | naive-check FILE\n".utf8))
    exit(64)
}
switch arguments[1] {
case "generate":
    // N services (up to 10,000), three published ports each below the ephemeral range, a host-network service every 50,
    // and a conflict every 500 services.
    let count = Int(arguments[2]) ?? 1000
    var text = "services:\n"
    for i in 0..<count {
        let base = 1_024 + (i * 3) % 31_500
        text += "  svc\(i):\n    image: busybox:1.36\n    command: [\"sleep\", \"300\"]\n"
        text += "    environment:\n      INDEX: \"\(i)\"\n      ROLE: worker\n"
        if i % 50 == 0 {
            text += "    network_mode: host\n    expose: [\"\(base + 1)\"]\n"
            continue
        }
        let clash = i % 500 == 1 ? base - 6 : base
        text += "    ports:\n      - \"\(clash):80\"\n      - \"127.0.0.1:\(base + 1):81\"\n      - \"\(base + 2):53/udp\"\n"
        if i > 0 { text += "    depends_on: [svc\(i - 1)]\n" }
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: arguments[3]))
case "events":
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: arguments[2])))
    var events = 0
    _ = YAMLEventReader.read(bytes) { _ in events += 1; return true }
    print("\(events) events")
case "naive-check":
    let result = ProjectLoader.load(ProjectOptions(files: [arguments[2]], environment: [:], currentDirectory: "/"))
    guard let project = result.project else { exit(1) }
    let claims = PreflightChecker(project: project, options: .init()).collectClaims().0
    var conflicts = 0
    for i in claims.indices {
        for j in claims.indices where j > i && claims[i].overlaps(claims[j]) { conflicts += 1 }
    }
    print("\(claims.count) claims, \(conflicts) conflicts (all pairs)")
default:
    exit(64)
}
