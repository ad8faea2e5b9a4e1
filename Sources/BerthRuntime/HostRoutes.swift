import Foundation

/// The host's IPv4 routes (`/proc/net/route`), as CIDR text, for the subnet-overlap check.
public enum HostRoutes {
    public static func read(procRoot: String = "/proc") -> [String] {
        guard let text = ProcFile.read("\(procRoot)/net/route") else { return [] }
        var routes: [String] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count > 7, let destination = UInt32(fields[1], radix: 16), let mask = UInt32(fields[7], radix: 16),
                  mask != 0 else { continue }
            // Docker's own bridges are engine networks, checked separately.
            if fields[0].hasPrefix("docker") || fields[0].hasPrefix("br-") { continue }
            let address = [destination & 0xFF, destination >> 8 & 0xFF, destination >> 16 & 0xFF, destination >> 24].map(String.init).joined(separator: ".")
            routes.append("\(address)/\(mask.nonzeroBitCount)")
        }
        return routes
    }
}
