import DockerEngine
import Foundation
import Testing

/// `ps --format json` on real containers, field by field against Compose's formatter (cmd/formatter/container.go
/// with docker/cli's MarshalJSON): one object per line, keys sorted, the value types, and the truncation rules.
@Suite(.serialized) struct PsFormatTests {
    static let keys = ["Command", "CreatedAt", "ExitCode", "Health", "ID", "Image", "Labels", "LocalVolumes", "Mounts", "Name", "Names",
                       "Networks", "Ports", "Project", "Publishers", "RunningFor", "Service", "Size", "State", "Status"]

    @Test(.enabled(if: Engine.available, "ps --format json: needs a Docker engine (scripts/start-engine.sh)"))
    func psJSONFollowsComposesFormatter() async throws {
        let project = try EngineProject("""
        services:
          web:
            image: busybox:1.36
            init: true
            command: [sh, -c, "echo a long command line that is cut; sleep 600"]
            ports: ["127.0.0.1::80"]
            volumes: ["data:/data"]
            healthcheck: {test: [CMD, "true"], interval: 1s}
          job: {image: busybox:1.36, command: [sh, -c, "exit 3"]}
        volumes:
          data: {}
        """)
        let n = project.name
        defer { _ = try? project.berth(["-p", n, "down", "-v", "-t", "0"]) }
        #expect(try project.berth(["-p", n, "up", "-d", "--wait", "web"]).status == 0)
        #expect(try project.berth(["-p", n, "up", "-d", "job"]).status == 0)
        for _ in 0..<50 where try RunEngineTests.inspect("{{.State.Status}}", "\(n)-job-1") != "exited" { try await Task.sleep(for: .milliseconds(100)) }

        let out = try project.berth(["-p", n, "ps", "-a", "--format", "json"]).out
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "one object per line: \(out)")
        for line in lines {
            let positions = Self.keys.map { line.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil }, "every field is there: \(line)")
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "keys sorted: \(line)")
        }
        let objects = try lines.map { try JSONValue.parse(Data($0.utf8)) }
        let web = try #require(objects.first { $0["Service"]?.string == "web" })
        let job = try #require(objects.first { $0["Service"]?.string == "job" })
        let id = try RunEngineTests.inspect("{{.Id}}", "\(n)-web-1")

        // Strings, except ExitCode (an integer) and Publishers (an array of objects).
        for key in Self.keys where key != "ExitCode" && key != "Publishers" { #expect(web[key]?.string != nil, "\(key) is a string") }
        #expect(web["ExitCode"]?.int == 0 && job["ExitCode"]?.int == 3)
        #expect(web["ID"]?.string == String(id.prefix(12)), "ID cut to 12")
        let createdAt = web["CreatedAt"]?.string ?? ""
        #expect(createdAt.range(of: #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$"#, options: .regularExpression) != nil, "Go's time.String(): \(createdAt)")
        #expect(web["Health"]?.string == "healthy" && web["State"]?.string == "running" && job["State"]?.string == "exited")
        #expect(web["Name"]?.string == "\(n)-web-1" && web["Names"]?.string == "\(n)-web-1" && web["Project"]?.string == n)
        #expect(web["Labels"]?.string?.contains("com.docker.compose.project=\(n)") == true && web["Labels"]?.string?.contains(",") == true)
        #expect(web["LocalVolumes"]?.string == "1" && web["Mounts"]?.string == "\(n)_data")
        #expect(web["Networks"]?.string == "\(n)_default")
        #expect(web["Size"]?.string == "0B" && web["RunningFor"]?.string?.hasSuffix("ago") == true && web["Status"]?.string?.hasPrefix("Up ") == true)
        let publisher = try #require(web["Publishers"]?.array?.first)
        let port = publisher["PublishedPort"]?.int ?? 0
        #expect(publisher["URL"]?.string == "127.0.0.1" && publisher["TargetPort"]?.int == 80 && port > 0 && publisher["Protocol"]?.string == "tcp")
        #expect(web["Ports"]?.string == "127.0.0.1:\(port)->80/tcp")
        #expect(job["Publishers"]?.array?.isEmpty == true)

        // --no-trunc: the whole ID and command.
        let full = try JSONValue.parse(Data(try project.berth(["-p", n, "ps", "--no-trunc", "--format", "json", "web"]).out.utf8))
        #expect(full["ID"]?.string == id && full["Command"]?.string?.contains("cut; sleep 600") == true, "\(full)")
        let command = String((full["Command"]?.string ?? "").dropFirst().dropLast())
        #expect(web["Command"]?.string == "\"\(command.prefix(19))…\"", "quoted, 19 characters and an ellipsis: \(web["Command"]?.string ?? "")")
    }
}
