/// A Go-template-like `--format`, as the docker CLI's formatters take it for common cases: `{{.Field}}` replaced by
/// the field's text, a leading `table` adding a header row, cells separated by `\t` (written or typed), and
/// `{{json .}}` replaced by the whole row as one JSON line.
struct FormatTemplate {
    let template: String

    func render(_ rows: [[String: String]], headers: [String: String], json: (Int) -> String = { _ in "" }) -> String {
        var body = template.replacingOccurrences(of: "\\t", with: "\t")
        let table = body.hasPrefix("table")
        if table { body = String(body.dropFirst(5)).trimmingCharacters(in: .whitespaces) }
        func fill(_ values: [String: String]) -> String {
            values.reduce(body) { $0.replacingOccurrences(of: "{{.\($1.key)}}", with: $1.value) }
        }
        var lines: [String] = table ? [fill(headers)] : []
        for (index, row) in rows.enumerated() {
            lines.append(fill(row).replacingOccurrences(of: "{{json .}}", with: json(index)))
        }
        guard table else { return lines.map { $0 + "\n" }.joined() }
        return Table.render(lines.map { $0.components(separatedBy: "\t") })
    }
}
