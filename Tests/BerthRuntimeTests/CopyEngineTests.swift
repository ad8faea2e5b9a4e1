import Foundation
import Testing

/// `cp` through the engine's archive endpoints, with the docker CLI's rules for where things land
/// (container_cp.md): into a folder under their own name, over a file, as a new name, a folder's contents with `/.`;
/// into every replica; out of the first; owners kept with `-a`.
@Suite(.serialized) struct CopyEngineTests {
    @Test(.enabled(if: Engine.available && PictureTests.tool("docker") != nil, "cp: needs a Docker engine and the docker CLI"))
    func copiesBothWaysAsTheDockerCLIDoes() throws {
        let project = try EngineProject("services:\n  app: {image: busybox:1.36, init: true, command: [sleep, \"600\"], deploy: {replicas: 2}}\n",
                                        extra: ["in/file.txt": "hello\n", "in/tree/a.txt": "a\n", "in/tree/sub/b.txt": "b\n"])
        let n = project.name
        defer { _ = try? project.berth(["-p", n, "down", "-t", "0"]) }
        func berth(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) { try project.berth(["-p", n] + arguments) }
        func inside(_ replica: Int, _ command: String) throws -> String {
            try CIIntegrationTests.shell(["docker", "exec", "\(n)-app-\(replica)", "sh", "-c", command], in: project.directory).out
        }
        #expect(try berth(["up", "-d"]).status == 0)

        // Into the containers: a file into a folder, a file under a new name, a folder as a new folder, its contents.
        #expect(try berth(["cp", "in/file.txt", "app:/tmp/"]).status == 0)
        #expect(try berth(["cp", "./in/file.txt", "app:/tmp/renamed.txt"]).status == 0)
        #expect(try berth(["cp", "in/tree", "app:/tmp/tree"]).status == 0)
        #expect(try berth(["cp", "in/tree/.", "app:/tmp/"]).status == 0)
        for replica in [1, 2] {
            #expect(try inside(replica, "cat /tmp/file.txt /tmp/renamed.txt /tmp/tree/a.txt /tmp/tree/sub/b.txt /tmp/a.txt /tmp/sub/b.txt") == "hello\nhello\na\nb\na\nb\n",
                    "replica \(replica) got every copy")
        }
        let index = try berth(["cp", "--index", "2", "in/file.txt", "app:/only-two.txt"])
        #expect(index.status == 0, "\(index.err)")
        #expect(try inside(2, "cat /only-two.txt") == "hello\n" && inside(1, "test -e /only-two.txt || echo absent") == "absent\n")

        // Owners as the docker CLI leaves them, with and without -a (on this engine, as root, both keep the file's
        // own UID and GID: seen with `docker cp` itself).
        let owned = project.directory.appendingPathComponent("in/owned.txt")
        try Data("mine\n".utf8).write(to: owned)
        _ = try CIIntegrationTests.shell(["chown", "1234:2345", owned.path], in: project.directory)
        #expect(try berth(["cp", "-a", "in/owned.txt", "app:/tmp/owned-a.txt"]).status == 0)
        #expect(try berth(["cp", "in/owned.txt", "app:/tmp/owned.txt"]).status == 0)
        _ = try CIIntegrationTests.shell(["docker", "cp", "-a", owned.path, "\(n)-app-1:/tmp/docker-a.txt"], in: project.directory)
        _ = try CIIntegrationTests.shell(["docker", "cp", owned.path, "\(n)-app-1:/tmp/docker.txt"], in: project.directory)
        let berthOwners = try inside(1, "stat -c %u:%g /tmp/owned-a.txt /tmp/owned.txt")
        #expect(berthOwners == (try inside(1, "stat -c %u:%g /tmp/docker-a.txt /tmp/docker.txt")) && berthOwners.hasPrefix("1234:2345\n"), "\(berthOwners)")

        // Out of the first container: a file into a folder, under a new name, a folder, a folder's contents.
        let out = project.directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        #expect(try berth(["cp", "app:/etc/hostname", "out/"]).status == 0)
        #expect(try berth(["cp", "app:/tmp/file.txt", "out/copy.txt"]).status == 0)
        #expect(try berth(["cp", "app:/tmp/tree", "out/tree"]).status == 0)
        #expect(try berth(["cp", "app:/tmp/tree/.", "out/flat"]).status == 0)
        func read(_ path: String) -> String? { try? String(contentsOf: out.appendingPathComponent(path), encoding: .utf8) }
        #expect(read("hostname")?.isEmpty == false && read("copy.txt") == "hello\n")
        #expect(read("tree/sub/b.txt") == "b\n" && read("flat/a.txt") == "a\n")

        // Errors in the docker CLI's words.
        let missing = try berth(["cp", "app:/nonexistent", "out/"])
        #expect(missing.status == 1 && missing.err.contains("Could not find the file /nonexistent in container \(n)-app-1"), "\(missing.err)")
        let noDirection = try berth(["cp", "a", "b"])
        #expect(noDirection.status == 64 && noDirection.err.contains("unknown copy direction"), "\(noDirection.err)")
        let between = try berth(["cp", "app:/a", "app:/b"])
        #expect(between.status == 64 && between.err.contains("copying between services is not supported"), "\(between.err)")
        let nowhere = try berth(["cp", "in/tree", "app:/tmp/file.txt"])
        #expect(nowhere.status == 1 && nowhere.err.contains("cannot copy a directory to a file"), "\(nowhere.err)")
    }
}
