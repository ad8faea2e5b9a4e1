import BerthDiagnostics

/// One thing the runtime did or is doing, as data: renderers (a redrawn block on a terminal, plain lines, JSON lines)
/// turn events into text; the runtime never formats progress itself.
public struct ProgressEvent: Sendable, Hashable {
    public enum Resource: String, Sendable, Hashable {
        case network = "Network", volume = "Volume", image = "Image", container = "Container"
        /// A swarm stack's objects.
        case service = "Service", secret = "Secret", config = "Config"
        /// One layer of an image being pulled or pushed; its name is `<image> <layer id>`.
        case layer = "Layer"
    }

    public enum State: String, Sendable, Hashable {
        case creating = "Creating", created = "Created"
        case recreating = "Recreate", recreated = "Recreated"
        case starting = "Starting", started = "Started", running = "Running"
        case restarting = "Restarting", restarted = "Restarted"
        case stopping = "Stopping", stopped = "Stopped"
        case killed = "Killed", paused = "Paused", unpaused = "Unpaused"
        case removing = "Removing", removed = "Removed"
        case connected = "Connected"
        case pulling = "Pulling", pulled = "Pulled"
        case waiting = "Waiting", downloading = "Downloading", extracting = "Extracting"
        case pushing = "Pushing", pushed = "Pushed"
        case skipped = "Skipped"
        case building = "Building", built = "Built"
        case failed = "Error"

        /// Whether this state ends the resource's work (a renderer marks it done).
        public var isDone: Bool {
            switch self {
            case .created, .recreated, .started, .running, .restarted, .stopped, .killed, .paused, .unpaused, .removed, .connected, .pulled, .built, .pushed, .skipped:
                true
            default:
                false
            }
        }
    }

    public enum Kind: Sendable, Hashable {
        /// A resource changed state; `detail` says more (a pull's layer progress, why a container is recreated).
        case resource(Resource, name: String, state: State, detail: String?)
        /// A message of its own (a warning, a summary), not tied to one resource.
        case message(Severity, String)
    }

    public var kind: Kind

    public init(_ kind: Kind) {
        self.kind = kind
    }

    public static func resource(_ resource: Resource, _ name: String, _ state: State, _ detail: String? = nil) -> ProgressEvent {
        ProgressEvent(.resource(resource, name: name, state: state, detail: detail))
    }

    public static func message(_ severity: Severity, _ text: String) -> ProgressEvent {
        ProgressEvent(.message(severity, text))
    }
}
