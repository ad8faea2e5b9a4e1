import BerthSpec
import BerthYAML
import Foundation
import BerthTestSupport
import Testing

/// Compares Berth's model with what docker-compose 1.29.2 (`config`) made of the same files: services, images, ports,
/// environment and depends_on. Each deliberate difference is listed here with its reason.
@Suite struct PeerComparisonTests {
    /// Files the peer accepted standalone that Berth refuses, and why.
    static let deliberateRefusals: [String: String] = [
        "real-stacks/docker-jitsi-meet/rtcstats/mongodb/mongodb.yml": "refers to the network 'meet.jitsi' that only the base file defines; docker compose v2 refuses it too, v1 did not check",
        "real-stacks/docker-jitsi-meet/grafana.yml": "same: an overlay of docker-compose.yml using its network",
        "real-stacks/docker-jitsi-meet/etherpad.yml": "same: an overlay of docker-compose.yml using its network",
        "real-stacks/docker-jitsi-meet/prometheus.yml": "same: an overlay of docker-compose.yml using its network",
        "real-stacks/docker-jitsi-meet/log-analyser.yml": "same: an overlay of docker-compose.yml using its network",
        "real-stacks/mailcow-dockerized/helper-scripts/docker-compose.override.yml.d/PROMETHEUS_EXPORTER/docker-compose.override.yml": "an overlay using the base file's network",
    ]

    /// The peer's environment values for variables it resolved from its own shell are not comparable.
    static func comparableEnvironment(_ value: String?) -> Bool { value.map { !$0.contains("/corpus/") } ?? false }

    struct Summary {
        var services: Set<String>
        var images: [String: String]
        var ports: [String: Set<String>]
        var environment: [String: [String: String]]
        var dependsOn: [String: Set<String>]
    }

    static func peerSummary(_ node: YAMLNode) -> Summary {
        var summary = Summary(services: [], images: [:], ports: [:], environment: [:], dependsOn: [:])
        for pair in node["services"]?.mapping ?? [] {
            let name = pair.key.scalarText ?? ""
            let service = pair.value
            summary.services.insert(name)
            if let image = service["image"]?.scalarText { summary.images[name] = image }
            summary.ports[name] = Set((service["ports"]?.sequence ?? []).map { port in
                "\(port["published"]?.scalarText ?? "-"):\(port["target"]?.scalarText ?? "")/\(port["protocol"]?.scalarText ?? "tcp")"
            })
            var environment: [String: String] = [:]
            // Deliberate difference: the peer's `config` escapes a literal `$` as `$$` so its output can be loaded
            // again; Berth's model holds the value itself.
            for entry in service["environment"]?.mapping ?? [] {
                environment[entry.key.scalarText ?? ""] = (entry.value.scalarText ?? "").replacingOccurrences(of: "$$", with: "$")
            }
            summary.environment[name] = environment
            summary.dependsOn[name] = Set((service["depends_on"]?.mapping ?? []).compactMap(\.key.scalarText) + (service["depends_on"]?.sequence ?? []).compactMap(\.scalarText))
        }
        return summary
    }

    static func berthSummary(_ project: ComposeProject) -> Summary {
        var summary = Summary(services: [], images: [:], ports: [:], environment: [:], dependsOn: [:])
        for service in project.services + project.disabledServices {
            summary.services.insert(service.name)
            if let image = service.image { summary.images[service.name] = image }
            summary.ports[service.name] = Set(service.ports.map { "\($0.published?.description ?? "-"):\($0.target)/\($0.protocol)" })
            summary.environment[service.name] = Dictionary(service.environment.map { ($0.key, $0.value ?? "") }, uniquingKeysWith: { $1 })
            summary.dependsOn[service.name] = Set(service.dependsOn.map(\.service))
        }
        return summary
    }

    @Test(.enabled(if: Corpus.available, "peer outputs: needs ../shared/corpus")) func agreesWithDockerComposeV1() throws {
        let corpus = try Corpus.require()
        let peerRoot = corpus.appendingPathComponent("peer-outputs/docker-compose-v1.29.2")
        let outputs = (FileManager.default.enumerator(atPath: peerRoot.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".v1config.yaml") }.sorted()
        var compared = 0
        for output in outputs {
            let relative = String(output.dropLast(".v1config.yaml".count))
            let source = corpus.appendingPathComponent(relative)
            let peerFile = YAMLComposer.compose(Array(try Data(contentsOf: peerRoot.appendingPathComponent(output))), path: output)
            let peer = Self.peerSummary(try #require(peerFile.documents.first))
            let result = ProjectLoader.load(ProjectOptions(files: [source.path], environment: [:], currentDirectory: "/"))
            if let reason = Self.deliberateRefusals[relative] {
                #expect(result.hasErrors, "\(relative) is listed as refused (\(reason)) but loads")
                continue
            }
            let project = try #require(result.project, "\(relative): \(result.diagnostics.map(\.message))")
            #expect(!result.hasErrors, "\(relative): \(result.diagnostics.filter { $0.severity == .error }.map(\.message))")
            let mine = Self.berthSummary(project)
            #expect(mine.services == peer.services, "\(relative): services")
            #expect(mine.images == peer.images, "\(relative): images")
            #expect(mine.ports == peer.ports, "\(relative): ports")
            #expect(mine.dependsOn == peer.dependsOn, "\(relative): depends_on")
            for (service, environment) in peer.environment {
                for (key, value) in environment where Self.comparableEnvironment(value) {
                    #expect(mine.environment[service]?[key] == value, "\(relative): \(service).environment.\(key)")
                }
                #expect(Set(environment.keys).isSubset(of: Set(mine.environment[service]?.keys.map { $0 } ?? [])), "\(relative): \(service) environment keys")
            }
            compared += 1
        }
        print("peer: \(compared) files agree with docker-compose 1.29.2 on services, images, ports, environment and depends_on; \(Self.deliberateRefusals.count) deliberate differences listed")
        #expect(compared > 20)
    }
}
