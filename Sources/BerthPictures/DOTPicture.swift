/// A stack picture in Graphviz's DOT language (`dot -Tsvg` draws it).
public enum DOTPicture {
    public static func render(_ picture: StackPicture) -> String {
        var out = "digraph \(quote(picture.title)) {\n"
        out += "  rankdir=LR; compound=true; newrank=true;\n"
        out += "  graph [fontname=\"Helvetica\", fontsize=11, label=\(quote("stack \(picture.title)")), labelloc=t];\n"
        out += "  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n"
        for cluster in picture.clusters {
            out += "  subgraph cluster_\(cluster.id) {\n"
            out += "    label=\(quote(cluster.label)); style=\(cluster.isHost ? "\"filled,bold\"" : "\"rounded,filled\""); fillcolor=\(cluster.isHost ? "\"#fff3e0\"" : "\"#eef4fb\""); color=\(cluster.isHost ? "\"#e65100\"" : "\"#5b7fa6\"");\n"
            for node in picture.nodes where node.cluster == cluster.id { out += "    " + line(node) }
            out += "  }\n"
        }
        for node in picture.nodes where node.cluster == nil { out += "  " + line(node) }
        for edge in picture.edges { out += "  " + line(edge) }
        return out + "}\n"
    }

    static func line(_ node: StackPicture.Node) -> String {
        var attributes: [String] = ["label=\(quote(node.label.joined(separator: "\n")))"]
        switch node.kind {
        case .service:
            attributes += ["shape=box", "style=\"rounded,filled\""]
            attributes.append(node.mode == "host" ? "fillcolor=\"#ffcc80\"" : node.mode == "none" ? "fillcolor=\"#e0e0e0\"" : "fillcolor=white")
        case .alias: attributes += ["shape=box", "style=\"rounded,dashed\""]
        case .port: attributes += ["shape=cds", "style=filled", "fillcolor=\"#fffde7\""]
        case .volume: attributes += ["shape=cylinder", "style=filled", "fillcolor=\"#e8f5e9\""]
        case .anonymousVolume: attributes += ["shape=cylinder", "style=dashed"]
        case .bind: attributes += ["shape=folder", "style=filled", "fillcolor=\"#f3e5f5\""]
        }
        switch node.mark {
        case .error: attributes += ["color=\"#d50000\"", "penwidth=3"]
        case .warning: attributes += ["color=\"#ff8f00\"", "penwidth=2"]
        case .none: break
        }
        return "\(node.id) [\(attributes.joined(separator: ", "))];\n"
    }

    static func line(_ edge: StackPicture.Edge) -> String {
        var attributes: [String] = edge.label.isEmpty ? [] : ["label=\(quote(edge.label))"]
        switch edge.kind {
        case .dependency(let condition, let required):
            attributes.append(required ? (condition == .healthy ? "style=bold" : "style=solid") : "style=dashed")
            if condition == .completedSuccessfully { attributes.append("arrowhead=diamond") }
        case .namespace: attributes += ["style=bold", "color=\"#e65100\""]
        case .volumesFrom, .link: attributes.append("style=dotted")
        case .port: attributes += ["color=\"#827717\""]
        case .mount: attributes += ["style=dotted", "arrowhead=none"]
        case .alias: attributes += ["style=dashed", "arrowhead=none", "color=\"#9e9e9e\""]
        case .clash: attributes += ["color=\"#d50000\"", "fontcolor=\"#d50000\"", "penwidth=3", "dir=both", "arrowhead=tee", "arrowtail=tee"]
        }
        return "\(edge.from) -> \(edge.to) [\(attributes.joined(separator: ", "))];\n"
    }

    /// A DOT string: `"` and `\` escaped, line breaks as `\n`.
    static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\r", with: "")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
