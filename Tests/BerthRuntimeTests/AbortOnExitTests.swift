import Foundation
import Testing

/// Attached `up` with `--abort-on-container-exit` and `--exit-code-from`: the scenarios of Compose's own
/// `stop.feature` (../shared/corpus/compose-e2e/cucumber-2023), with busybox for alpine. Each exit is said, the first
/// one stops the stack, and the exit code is the container's (or the named service's, 143 when the cascade stopped it).
@Suite(.serialized) struct AbortOnExitTests {
    static let stack = """
    services:
      should_fail:
        image: busybox:1.36
        command: ['sh', '-c', 'exit 123']
      sleep:
        image: busybox:1.36
        command: ping localhost
        init: true
    """

    @Test(.enabled(if: Engine.available, "abort on exit: needs a Docker engine (scripts/start-engine.sh)"))
    func theFirstExitStopsTheStackWithItsCode() throws {
        let project = try EngineProject(Self.stack)
        defer { _ = try? project.berth(["-p", project.name, "down", "-t", "0"]) }
        for arguments in [["--abort-on-container-exit"], ["--exit-code-from", "should_fail"]] {
            let up = try project.berth(["-p", project.name, "up"] + arguments)
            #expect(up.status == 123, "\(arguments): \(up.err)")
            #expect(up.out.contains("should_fail-1 exited with code 123"), "\(up.out)")
            #expect(up.err.contains("Aborting on container exit..."), "\(up.err)")
        }
        let cascaded = try project.berth(["-p", project.name, "up", "--exit-code-from", "sleep"])
        #expect(cascaded.status == 143, "the cascade stopped sleep with SIGTERM: \(cascaded.out)\(cascaded.err)")
        let unknown = try project.berth(["-p", project.name, "up", "--exit-code-from", "unknown"])
        #expect(unknown.status == 1 && unknown.err.contains("no such service: unknown"), "\(unknown.err)")
        let detached = try project.berth(["-p", project.name, "up", "-d", "--abort-on-container-exit"])
        #expect(detached.status == 64 && detached.err.contains("--detach cannot be combined"), "\(detached.err)")
    }
}
