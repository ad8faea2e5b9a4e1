import BerthSpec
import BerthTestSupport
import Foundation
import Testing

/// Top-level `include`: each included file is a project of its own (its paths from its directory, its env files), its
/// resources join the project, and a name defined on both sides is an error at both lines.
@Suite struct IncludeTests {
    @Test func includedFilesJoinTheProject() throws {
        let fixture = try Fixture([
            "compose.yaml": "include:\n  - sub/other.yaml\n  - path: [sub/db.yaml]\n    env_file: sub/db.env\nservices:\n  web: {image: x, depends_on: [api]}\n",
            "sub/other.yaml": "services:\n  api:\n    image: x\n    build: ./app\n    volumes: [\"./data:/data\"]\nnetworks:\n  back: {}\n",
            "sub/db.yaml": "services:\n  db: {image: \"postgres:${DB_TAG}\"}\n",
            "sub/db.env": "DB_TAG=16\n",
        ])
        let result = fixture.load()
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message))")
        let project = try #require(result.project)
        #expect(Set(project.services.map(\.name)) == ["web", "api", "db"])
        let sub = URL(fileURLWithPath: fixture.path("sub")).standardizedFileURL.path
        #expect(project.service(named: "api")?.build?.context == sub + "/app")
        #expect(project.service(named: "api")?.volumes.first?.source == sub + "/data")
        #expect(project.service(named: "db")?.image == "postgres:16")
        #expect(project.network(named: "back") != nil)
    }

    @Test func aNameOnBothSidesIsAnErrorAtBothLines() throws {
        let fixture = try Fixture([
            "compose.yaml": "include: [other.yaml]\nservices:\n  api: {image: x}\n",
            "other.yaml": "services:\n  api: {image: y}\n",
        ])
        let errors = fixture.load().diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 2)
        #expect(Set(errors.compactMap { $0.location.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line)" } }) == ["compose.yaml:3", "other.yaml:2"])
    }

    @Test func missingAndCircularIncludesAreErrors() throws {
        let fixture = try Fixture([
            "compose.yaml": "include: [nope.yaml, a.yaml]\nservices:\n  web: {image: x}\n",
            "a.yaml": "include: [compose.yaml]\nservices:\n  a: {image: x}\n",
        ])
        let codes = fixture.load().diagnostics.filter { $0.severity == .error }.map(\.code)
        #expect(codes.contains("file-not-found") && codes.contains("extends-cycle"), "\(codes)")
    }
}
