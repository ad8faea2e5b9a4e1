import BerthDiagnostics
import DockerEngine
import Foundation

/// Pulls and pushes images, several at once, with registry credentials resolved as the docker CLI resolves them and
/// progress as typed events: one per image state, and one per layer state (waiting, downloading, extracting, done).
public struct ImageTransfer: Sendable {
    public let client: DockerClient
    public let progress: ProgressReporter
    public let configDirectory: String

    public init(client: DockerClient, progress: ProgressReporter, configDirectory: String) {
        self.client = client
        self.progress = progress
        self.configDirectory = configDirectory
    }

    /// The outcome of one image: `error` is nil when it went through; `credentials` says the error is about the
    /// credential helper or config.json, not the registry.
    public struct Outcome: Sendable, Hashable {
        public var reference: String
        public var error: String?
        public var credentials = false
    }

    /// Pulls each reference, all at once. After a pull, the image is tagged with its own name, which sets the
    /// engine's `Metadata.LastTagTime`: the time `pull_policy: daily|weekly|every_<duration>` compares with, in Berth as
    /// in Compose (a pull alone does not set it on this engine).
    public func pull(_ references: [String]) async -> [Outcome] {
        await each(references) { reference in
            let auth = try RegistryAuth.resolve(registry: RegistryAuth.registry(of: reference), config: DockerConfigFile.load(directory: configDirectory))
            progress(.resource(.image, reference, .pulling))
            try await client.pullImage(reference, auth: auth) { event in self.report(event, image: reference, pushing: false) }
            if ImageReference(reference).digest == nil { try await client.tagImage(reference, as: reference) }
            progress(.resource(.image, reference, .pulled))
        }
    }

    /// Pushes each reference, all at once.
    public func push(_ references: [String]) async -> [Outcome] {
        await each(references) { reference in
            let auth = try RegistryAuth.resolve(registry: RegistryAuth.registry(of: reference), config: DockerConfigFile.load(directory: configDirectory))
            progress(.resource(.image, reference, .pushing))
            let digest = Digest()
            try await client.pushImage(reference, auth: auth) { event in
                if let found = event.digest { digest.value = found }
                self.report(event, image: reference, pushing: true)
            }
            progress(.resource(.image, reference, .pushed, digest.value))
        }
    }

    func each(_ references: [String], _ body: @escaping @Sendable (String) async throws -> Void) async -> [Outcome] {
        await withTaskGroup(of: (Int, Outcome).self) { group in
            for (index, reference) in references.enumerated() {
                group.addTask {
                    do {
                        try await body(reference)
                        return (index, Outcome(reference: reference))
                    } catch {
                        let message = (error as? DockerError)?.message ?? "\(error)"
                        progress(.resource(.image, reference, .failed, message))
                        return (index, Outcome(reference: reference, error: message, credentials: error is RegistryAuthError || error is EndpointError))
                    }
                }
            }
            var outcomes: [(Int, Outcome)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// A layer's event, named `<image> <layer>`; lines about the whole image are its detail.
    func report(_ event: ImageProgress, image: String, pushing: Bool) {
        guard let id = event.id, !event.status.hasPrefix("Pulling from"), !event.status.hasPrefix("The push refers to") else { return }
        let state: ProgressEvent.State = switch event.status {
        case "Pulling fs layer", "Waiting", "Preparing": .waiting
        case "Downloading", "Verifying Checksum", "Download complete": .downloading
        case "Extracting": .extracting
        case "Pull complete", "Already exists": .pulled
        case "Pushing": .pushing
        case "Pushed", "Layer already exists": .pushed
        default: event.status.hasPrefix("Mounted from") ? .pushed : pushing ? .pushing : .downloading
        }
        progress(.resource(.layer, "\(image) \(id)", state, event.text))
    }
}

/// The digest a push reports, handed from the stream's callback to the end of the push.
private final class Digest: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    var value: String? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
