import DockerEngine
import Foundation
import Testing

/// An engine that accepts a connection and never answers is a time-out of a reachable engine, and a cancelled request
/// is a cancellation: neither is "cannot reach the Docker engine".
@Suite struct EngineFailureTests {
    /// A unix socket that accepts and then stays silent.
    final class SilentEngine: @unchecked Sendable {
        let path: String
        let fd: Int32
        private var accepted: [Int32] = []
        private let lock = NSLock()

        init() throws {
            path = "/tmp/berth-silent-\(UInt32.random(in: 0...UInt32.max)).sock"
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in path.utf8CString.withUnsafeBytes { raw.copyMemory(from: $0) } }
            let length = socklen_t(MemoryLayout<sockaddr_un>.size)
            try #require(withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } } == 0)
            listen(fd, 8)
            let listener = fd
            Thread {
                while true {
                    let client = accept(listener, nil, nil)
                    if client < 0 { return }
                    self.lock.withLock { self.accepted.append(client) }
                }
            }.start()
        }

        func close() {
            shutdown(fd, Int32(SHUT_RDWR))
            Glibc.close(fd)
            lock.withLock { for client in accepted { Glibc.close(client) } }
            unlink(path)
        }
    }

    @Test func aSilentEngineTimesOutAndCancellationStaysCancellation() async throws {
        let engine = try SilentEngine()
        defer { engine.close() }
        let client = try DockerClient(endpoint: DockerEndpoint(transport: .unix(path: engine.path)))
        do {
            _ = try await client.negotiate()  // `/_ping` allows 5 s
            Issue.record("a silent engine answered")
        } catch let error as DockerError {
            guard case .timedOut = error else { Issue.record("expected a time-out, got \(error)"); return }
            #expect(error.description.contains("did not answer GET /_ping within 5 s"), "\(error)")
        }
        let task = Task { try await client.negotiate() }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("a cancelled request answered")
        } catch {
            #expect(error is CancellationError, "\(error)")
        }
        await client.shutdown()
        // No engine at all is still "cannot reach".
        let nowhere = try DockerClient(endpoint: DockerEndpoint(transport: .unix(path: "/tmp/berth-no-such-\(UUID().uuidString).sock")))
        do {
            _ = try await nowhere.negotiate()
        } catch let error as DockerError {
            #expect(error.description.contains("cannot reach the Docker engine") && error.description.contains("no such socket"), "\(error)")
        }
        await nowhere.shutdown()
    }

    /// `berth-bench generate N` without a file prints its usage (exit 64) instead of trapping.
    @Test func benchWithoutAFileSaysHowToUseIt() throws {
        let bench = EngineProject.binary.deletingLastPathComponent().appendingPathComponent("berth-bench")
        try #require(FileManager.default.isExecutableFile(atPath: bench.path))
        let result = try CIIntegrationTests.shell([bench.path, "generate", "10"], in: URL(fileURLWithPath: "/tmp"))
        #expect(result.status == 64 && result.out.contains("usage:"), "\(result.out)")
    }
}
