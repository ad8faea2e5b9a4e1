/// Workflow commands read back as the GitHub Actions runner reads them (actions/runner
/// `src/Runner.Common/ActionCommand.cs`, `TryParseV2`): the line must start with `::`; the command runs to the next
/// `::`; its name ends at the first space; properties are split on `,` (empty entries dropped), each at its first `=`
/// (a pair without both halves is dropped); property keys are case-insensitive. Data un-escapes `%0D`, `%0A`, then
/// `%25`; property values also `%3A` and `%2C` (still `%25` last).
struct RunnerCommand: Equatable {
    var name: String
    var properties: [String: String]
    var data: String

    init?(_ line: Substring) {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("::") else { return nil }
        let rest = trimmed.dropFirst(2)
        guard let end = rest.range(of: "::") else { return nil }
        let info = rest[..<end.lowerBound]
        data = Self.unescape(String(rest[end.upperBound...]), property: false)
        let nameEnd = info.firstIndex(of: " ") ?? info.endIndex
        name = String(info[..<nameEnd])
        properties = [:]
        let list = info[nameEnd...].trimmingCharacters(in: [" "])
        for pair in list.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { continue }
            properties[parts[0].lowercased()] = Self.unescape(String(parts[1]), property: true)
        }
    }

    static func unescape(_ text: String, property: Bool) -> String {
        var s = text.replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0A", with: "\n")
        if property { s = s.replacingOccurrences(of: "%3A", with: ":").replacingOccurrences(of: "%2C", with: ",") }
        return s.replacingOccurrences(of: "%25", with: "%")
    }
}

private extension Substring {
    func trimmingCharacters(in set: Set<Character>) -> Substring {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return s
    }
}
