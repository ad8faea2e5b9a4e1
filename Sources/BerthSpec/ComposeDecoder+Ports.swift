import BerthDiagnostics
import BerthYAML
import Foundation

/// `ports:` entries, short and long syntax.
extension ComposeDecoder {
    mutating func port(_ item: YAMLNode) -> [PortMapping] {
        if let text = item.scalarText {
            switch PortSyntax.parse(text, at: item.location) {
            case .success(let ports): return ports
            case .failure(let failure):
                error("invalid-port", failure.message, item)
                return []
            }
        }
        guard item.mapping != nil else {
            error("invalid-port", "a port must be a string, a number or a mapping, not \(item.kindName)", item)
            return []
        }
        checkKeys(item, known: ["target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"], context: "a port")
        guard let targetNode = item["target"] else {
            error("invalid-port", "a port in long syntax needs 'target'", item)
            return []
        }
        // One error for one mistake: the target is read here, not through `int`, which would report it too.
        guard let target = targetNode.scalarText.flatMap({ Int($0) }), (1...65535).contains(target) else {
            error("invalid-port", "invalid target port '\(targetNode.scalarText ?? "")' (1-65535)", targetNode)
            return []
        }
        var published: PortRange?
        if let publishedNode = item["published"], let text = string(publishedNode, "published") {
            guard let range = PortSyntax.parseRange(text) else {
                error("invalid-port", "invalid published port '\(text)' (0-65535 or a range)", publishedNode)
                return []
            }
            published = range.lower == 0 && range.upper == 0 ? nil : range
        }
        let proto = (string(item["protocol"], "protocol") ?? "tcp").lowercased()
        if !["tcp", "udp", "sctp"].contains(proto), let node = item["protocol"] {
            error("invalid-port", "invalid protocol '\(proto)' (tcp, udp or sctp)", node)
        }
        let hostIP = string(item["host_ip"], "host_ip")
        if let hostIP, !IPAddress.isValid(hostIP), let node = item["host_ip"] {
            error("invalid-port", "invalid host address '\(hostIP)'", node)
        }
        return [PortMapping(target: target, published: published, hostIP: hostIP, protocol: proto,
                            mode: string(item["mode"], "mode") ?? "ingress", name: string(item["name"], "name"),
                            appProtocol: string(item["app_protocol"], "app_protocol"), location: item.location)]
    }
}
