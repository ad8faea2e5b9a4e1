/// A stack picture as a mermaid flowchart. Node ids are generated (`n0`, `c0`), so service names such as `end`,
/// `graph` or `class`, or `api-gw` next to `api_gw`, are only ever labels; labels are quoted with mermaid's entity
/// codes for the characters its grammar reserves.
public enum MermaidPicture {
    public static func render(_ picture: StackPicture) -> String {
        var out = "flowchart LR\n"
        for cluster in picture.clusters {
            out += "  subgraph \(cluster.id)[\(label(cluster.label))]\n"
            for node in picture.nodes where node.cluster == cluster.id { out += "    " + line(node) }
            out += "  end\n"
        }
        for node in picture.nodes where node.cluster == nil { out += "  " + line(node) }
        var styles: [String] = []
        for (index, edge) in picture.edges.enumerated() {
            let text = edge.label.isEmpty ? "" : "|\(label(edge.label))|"
            let arrow: String
            switch edge.kind {
            case .dependency(let condition, let required): arrow = required ? (condition == .healthy ? "==>" : "-->") : "-.->"
            case .namespace: arrow = "==>"
            case .volumesFrom, .link: arrow = "-.->"
            case .port: arrow = "-->"
            case .mount, .alias: arrow = "-.-"
            case .clash: arrow = "<-->"
            }
            out += "  \(edge.from) \(arrow)\(text) \(edge.to)\n"
            if edge.kind == .clash { styles.append("  linkStyle \(index) stroke:#d50000,stroke-width:3px,color:#d50000\n") }
        }
        out += "  classDef host fill:#ffcc80,stroke:#e65100\n  classDef port fill:#fffde7,stroke:#827717\n"
        out += "  classDef store fill:#e8f5e9,stroke:#2e7d32\n  classDef error stroke:#d50000,stroke-width:3px\n  classDef warning stroke:#ff8f00,stroke-width:2px\n"
        for cluster in picture.clusters where cluster.isHost { out += "  style \(cluster.id) fill:#fff3e0,stroke:#e65100\n" }
        let classes: [(String, [String])] = [
            ("host", picture.nodes.filter { $0.kind == .service && $0.mode == "host" }.map(\.id)),
            ("port", picture.nodes.filter { $0.kind == .port }.map(\.id)),
            ("store", picture.nodes.filter { [.volume, .bind, .anonymousVolume].contains($0.kind) }.map(\.id)),
            ("error", picture.nodes.filter { $0.mark == .error }.map(\.id)),
            ("warning", picture.nodes.filter { $0.mark == .warning }.map(\.id)),
        ]
        for (name, ids) in classes where !ids.isEmpty { out += "  class \(ids.joined(separator: ",")) \(name)\n" }
        return out + styles.joined()
    }

    static func line(_ node: StackPicture.Node) -> String {
        let text = label(node.label.joined(separator: "\n"))
        return switch node.kind {
        case .service, .alias: "\(node.id)(\(text))\n"
        case .port: "\(node.id)>\(text)]\n"
        case .volume, .anonymousVolume: "\(node.id)[(\(text))]\n"
        case .bind: "\(node.id)[/\(text)/]\n"
        }
    }

    /// A quoted mermaid label: `"`, `#`, `<`, `>`, `&`, `|` and brackets as entity codes, line breaks as `<br>`.
    static func label(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "&": out += "#amp;"
            case "|": out += "#124;"
            case "\n": out += "<br>"
            case "\r": continue
            default: out.append(character)
            }
        }
        return "\"" + out + "\""
    }
}
