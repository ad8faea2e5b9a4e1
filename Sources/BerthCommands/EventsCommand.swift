import ArgumentParser
import BerthPlan
import DockerEngine
import Foundation

/// `events [SERVICE...]`: the project's container events as they happen, as `docker compose events` prints them
/// (`--json`: one `{action, attributes, id, service, time, type}` object per line, keys sorted).
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Stream the project's container events.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "One JSON object per event.") var json = false
    @Option(help: "Events since a time: RFC 3339, a Unix timestamp, or a duration back from now.") var since: String?
    @Option(help: "Events until a time (then the stream ends).") var until: String?
    @Argument(help: "Services (all when none).", completion: ServiceCompletion.kind) var services: [String] = []

    func validate() throws {
        if let since, LogTime.timestamp(since) == nil { throw ValidationError("--since: '\(since)' is not a time, a timestamp or a duration") }
        if let until, LogTime.timestamp(until) == nil { throw ValidationError("--until: '\(until)' is not a time, a timestamp or a duration") }
    }

    func run() async throws {
        let name = try resolvedProjectName(global)
        let signals = InterruptSignals()
        let services = self.services, json = self.json
        try await global.withEngine { client in
            let filters = ["type": ["container"], "label": ComposeLabels.madeFor(name)]
            let stream = client.events(since: since.flatMap { LogTime.timestamp($0) }, until: until.flatMap { LogTime.timestamp($0) }, filters: filters)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await event in stream {
                            guard event.attributes[ComposeLabels.oneoff] != "True" else { continue }
                            let service = event.attributes[ComposeLabels.service] ?? ""
                            guard services.isEmpty || services.contains(service) else { continue }
                            Console.out(Self.render(event, service: service, json: json))
                        }
                    } catch {}
                }
                group.addTask { _ = await signals.wait(forSignal: 1) }
                await group.next()
                group.cancelAll()
            }
        }
    }

    static func render(_ event: EngineEvent, service: String, json: Bool) -> String {
        let attributes = event.attributes.filter { !$0.key.hasPrefix("com.docker.compose.") }
        let date = Date(timeIntervalSince1970: TimeInterval(event.timeNano) / 1e9)
        if json {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let object: JSONValue = .object([
                "action": .string(event.action), "attributes": .object(attributes.mapValues(JSONValue.string)), "id": .string(event.actorID),
                "service": .string(service), "time": .string(formatter.string(from: date)), "type": .string(event.type),
            ])
            return object.text + "\n"
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSS"
        let pairs = attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(formatter.string(from: date)) \(event.type) \(event.action) \(event.actorID) (\(pairs))\n\n"
    }
}
