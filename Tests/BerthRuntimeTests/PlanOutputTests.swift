import DockerEngine
import Foundation
import Testing

/// `berth plan --format json` has the documented, versioned shape of `schemas/plan.schema.json`, for every action.
@Suite(.serialized) struct PlanOutputTests {
    @Test(.enabled(if: Engine.available, "plan JSON: needs a Docker engine (scripts/start-engine.sh)"),
          .enabled(if: SchemaValidation.available, "plan JSON: needs python3 with jsonschema, referencing and rfc3987 (scripts/install-deps.sh)"))
    func everyPlanValidatesAgainstTheSchema() async throws {
        let yaml = { (edit: Int, extra: Bool) in
            var text = "services:\n  a: {image: busybox:1.36, init: true, command: [sleep, \"3600\"], environment: {E: \"\(edit)\"}, volumes: [\"data:/data\"]}\n"
            text += "  b: {image: busybox:1.36, init: true, command: [sleep, \"3600\"], scale: 2, networks: [inner]}\n"
            if extra { text += "  c: {image: busybox:1.36, init: true, command: [sleep, \"3600\"]}\n" }
            text += "  d: {image: never-pulled-here:1, pull_policy: always}\n"
            return text + "networks:\n  inner: {}\nvolumes:\n  data: {}\n"
        }
        let project = try EngineProject(yaml(0, true))
        defer { _ = try? project.berth(["down", "-v", "-p", project.name, "-t", "0"]) }
        var documents: [String] = []
        let offline = try project.berth(["plan", "--format", "json", "--no-engine", "-p", project.name])
        documents.append(offline.out)
        // Without d (an image no registry here has), so that up succeeds.
        try Data(yaml(0, true).replacingOccurrences(of: "  d: {image: never-pulled-here:1, pull_policy: always}\n", with: "").utf8)
            .write(to: project.directory.appendingPathComponent("compose.yaml"))
        #expect(try project.berth(["up", "-d", "-p", project.name]).status == 0)
        try Data(yaml(1, false).replacingOccurrences(of: "  d: {image: never-pulled-here:1, pull_policy: always}\n", with: "").utf8)
            .write(to: project.directory.appendingPathComponent("compose.yaml"))
        let changed = try project.berth(["plan", "--format", "json", "--scale", "b=1", "-p", project.name])
        documents.append(changed.out)
        let removing = try project.berth(["plan", "--format", "json", "--remove-orphans", "--force-recreate", "-p", project.name])
        documents.append(removing.out)
        let plan = try JSONSerialization.jsonObject(with: Data(changed.out.utf8)) as? [String: Any] ?? [:]
        let actions = Set((plan["containers"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String })
        #expect(actions == ["recreate", "keep", "remove", "orphan"], "\(changed.out)")
        #expect(plan["version"] as? Int == 2)
        let verdicts = try SchemaValidation.validate(documents, schema: SchemaValidation.planSchema)
        #expect(verdicts.count == 3 && verdicts.allSatisfy { $0.hasPrefix("valid ") }, "\(verdicts)")
        #expect((try JSONSerialization.jsonObject(with: Data(offline.out.utf8)) as? [String: Any])?["images"] as? [Any] != nil)
    }
}
