import Foundation
import ArgumentParser
import BerthPlan
import BerthSpec

/// The options that shape a plan, shared by `plan` and `up` so that `plan` can be asked exactly what `up` would do.
struct PlanFlags: ParsableArguments {
    @Flag(name: .customLong("force-recreate"), help: "Recreate containers even if nothing changed.") var forceRecreate = false
    @Flag(name: .customLong("no-recreate"), help: "Keep existing containers even if they changed.") var noRecreate = false
    @Flag(name: .customLong("always-recreate-deps"), help: "Recreate the dependencies that come along with named services.") var alwaysRecreateDeps = false
    @Flag(name: .customLong("no-deps"), help: "Do not bring along the dependencies of named services.") var noDeps = false
    @Flag(name: [.customShort("V"), .customLong("renew-anon-volumes")], help: "Recreate with new anonymous volumes instead of the previous containers' data.") var renewAnonVolumes = false
    @Flag(name: .customLong("remove-orphans"), help: "Remove containers of services not in the files.") var removeOrphans = false
    @Option(name: .customLong("scale"), help: ArgumentHelp("Run N replicas of a service (overrides the files).", valueName: "SERVICE=N")) var scale: [String] = []
    @Option(help: "Pull images: missing, always or never.") var pull: PlanOptions.Pull = .missing
    @Flag(help: "Build images of services with a build context before starting them.") var build = false
    @Flag(name: .customLong("no-build"), help: "Do not build images, even when missing.") var noBuild = false
    @Flag(name: [.customShort("y"), .customLong("yes")], help: "Answer yes to prompts: recreate volumes whose configuration changed (their data is deleted).") var yes = false
    @Option(name: .customLong("ignore"), help: ArgumentHelp("Silence a warning code for this run (repeatable; errors stay).", valueName: "CODE")) var ignore: [String] = []
    @Argument(help: "Services (with their dependencies unless --no-deps).", completion: ServiceCompletion.kind) var services: [String] = []

    func validate() throws {
        if build && noBuild { throw ValidationError("--build and --no-build are incompatible") }
        if forceRecreate && noRecreate { throw ValidationError("--force-recreate and --no-recreate cannot be combined") }
        if renewAnonVolumes && noRecreate { throw ValidationError("--renew-anon-volumes and --no-recreate cannot be combined") }
        if alwaysRecreateDeps && noRecreate { throw ValidationError("--always-recreate-deps and --no-recreate cannot be combined") }
        _ = try scales()
    }

    /// `--scale web=3` as a map, refusing what is not `SERVICE=N` with N >= 0.
    func scales() throws -> [String: Int] {
        var result: [String: Int] = [:]
        for entry in scale {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let count = Int(parts[1]), count >= 0 else {
                throw ValidationError("--scale takes SERVICE=N with N a number of replicas, not '\(entry)'")
            }
            result[parts[0]] = count
        }
        return result
    }

    /// The plan options for a loaded project (a `--scale` must name one of its services).
    func options(for project: ComposeProject, separator: String = "-") throws -> PlanOptions {
        for name in try scales().keys where project.service(named: name) == nil {
            throw ValidationError("--scale: no such service '\(name)'")
        }
        var options = PlanOptions.now()
        options.services = services
        options.ignoredCodes = Set(ignore)
        options.noDeps = noDeps
        options.recreate = forceRecreate || renewAnonVolumes ? .force : noRecreate ? .never : .changed
        options.alwaysRecreateDeps = alwaysRecreateDeps
        options.renewAnonVolumes = renewAnonVolumes
        options.removeOrphans = removeOrphans
        options.scale = try scales()
        options.pull = pull
        options.build = build
        options.noBuild = noBuild
        options.recreateChangedVolumes = yes
        options.separator = separator
        return options
    }
}

extension PlanOptions.Pull: ExpressibleByArgument {}

extension PlanOptions {
    /// Options with the clock read now (the planner itself never reads it).
    static func now() -> PlanOptions {
        var options = PlanOptions()
        options.now = Date().timeIntervalSince1970
        return options
    }
}
