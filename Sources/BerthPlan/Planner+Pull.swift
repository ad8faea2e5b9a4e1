import BerthSpec

/// What `berth pull` pulls, decided once here, as `docker compose pull` decides it (compose `shouldPullImage`): an
/// explicit pull refreshes images that `up` would leave alone.
public struct PullDecision: Sendable, Hashable {
    public var service: String
    public var reference: String
    public var pull: Bool
    /// Why it is pulled or skipped (`Image is already present locally`, `Image can be built`, ...).
    public var reason: String
    /// Whether the service can build its image, so a failed pull is only a warning that names `berth build`.
    public var buildable: Bool
}

extension Planner {
    /// `policy` is `--policy` (it replaces every service's `pull_policy`); `ignoreBuildable` skips the services that
    /// have a `build` section. Services sharing an image are pulled once, for the first of them.
    public static func pullDecisions(project: ComposeProject, services: [String], policy: PullPolicy?, ignoreBuildable: Bool,
                                     engine: EngineSnapshot) -> [PullDecision] {
        var decisions: [PullDecision] = []
        var scheduled = Set<String>()
        for service in project.services where services.isEmpty || services.contains(service.name) {
            guard let image = service.image else {
                decisions.append(PullDecision(service: service.name, reference: imageReference(project: project, service: service), pull: false,
                                              reason: "No image to be pulled", buildable: service.build != nil))
                continue
            }
            let present = engine.images[image] != nil
            var pull: Bool
            var reason: String
            switch policy ?? service.pullPolicy.flatMap(PullPolicy.init) {
            case nil, .always?: (pull, reason) = (true, service.pullPolicy.map { "pull_policy: \($0)" } ?? "pulled")
            case .refresh?: (pull, reason) = (true, "pull_policy: \(service.pullPolicy ?? "")")
            case .missing?:
                if !present {
                    (pull, reason) = (true, "missing")
                } else if isLatestTag(image) {
                    (pull, reason) = (true, "the latest tag moves")
                } else {
                    (pull, reason) = (false, "Image is already present locally")
                }
            case .never?, .build?: (pull, reason) = (false, "pull_policy: \(service.pullPolicy ?? "")")
            }
            if pull, service.build != nil, ignoreBuildable { (pull, reason) = (false, "Image can be built") }
            if pull, !scheduled.insert(image).inserted { (pull, reason) = (false, "pulled for another service") }
            decisions.append(PullDecision(service: service.name, reference: image, pull: pull, reason: reason, buildable: service.build != nil))
        }
        return decisions
    }

    /// Whether a reference names the `latest` tag (written or implied).
    static func isLatestTag(_ reference: String) -> Bool {
        if reference.contains("@") { return false }
        let lastPart = reference.split(separator: "/").last ?? ""
        guard let colon = lastPart.lastIndex(of: ":") else { return true }
        return lastPart[lastPart.index(after: colon)...] == "latest"
    }
}
