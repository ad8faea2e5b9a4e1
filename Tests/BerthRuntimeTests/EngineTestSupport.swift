import BerthDiagnostics
import BerthRuntime
import BerthSpec
import DockerEngine
import Foundation
import Testing

/// Integration tests run on the real engine (`scripts/start-engine.sh` starts it; CI always has it).
enum Engine {
    static let available: Bool = {
        FileManager.default.fileExists(atPath: DockerEndpoint.defaultSocketPath)
    }()

}

/// A project in a temporary directory, brought up and always torn down.
struct EngineProject {
    let directory: URL
    let name: String

    init(_ yaml: String, name: String = "berthtest\(UInt32.random(in: 0...UInt32.max))", extra: [String: String] = [:]) throws {
        self.name = name
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("berth-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(yaml.utf8).write(to: directory.appendingPathComponent("compose.yaml"))
        for (file, text) in extra {
            let url = directory.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    func load() throws -> ComposeProject {
        let result = ProjectLoader.load(ProjectOptions(projectName: name, environment: [:], currentDirectory: directory.path))
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message))")
        return try #require(result.project)
    }

    /// Runs `body` with a client, then removes everything the project made (volumes too).
    func run(_ body: (DockerClient, ComposeProject) async throws -> Void) async throws {
        let client = DockerClient()
        let project = try load()
        do {
            try await body(client, project)
        } catch {
            var down = Executor.DownOptions()
            down.removeVolumes = true
            down.timeout = 0
            try? await Executor(client: client, progress: .silent).down(projectName: name, options: down)
            await client.shutdown()
            throw error
        }
        var down = Executor.DownOptions()
        down.removeVolumes = true
        down.timeout = 0
        try? await Executor(client: client, progress: .silent).down(projectName: name, options: down)
        await client.shutdown()
    }

    func containers(_ client: DockerClient) async throws -> [ContainerSummary] {
        try await client.listContainers(all: true, filters: ["label": ["com.docker.compose.project=\(name)"]])
    }

    /// Runs the berth binary (for end-to-end checks of exit codes and messages).
    /// The berth binary of this build (or `BERTH_TEST_BINARY`, for a long run on a copy while the tree is rebuilt).
    static let binary = ProcessInfo.processInfo.environment["BERTH_TEST_BINARY"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/berth")

    func berth(_ arguments: [String], environment: [String: String] = [:], stdin: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        try Self.berth(arguments, in: directory, environment: environment, stdin: stdin)
    }

    /// Runs the berth binary in `directory`; stdout and stderr are read concurrently, so neither can fill up. Its
    /// stdin is the file `stdin`, or empty.
    static func berth(_ arguments: [String], in directory: URL, environment: [String: String] = [:], stdin: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        try process.run()
        let errBox = DataBox()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errBox.data, as: UTF8.self))
    }
}

/// Bytes handed from a reader thread to the waiting one (the semaphore orders the accesses).
final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// A plain HTTP GET to a loopback port, with a short timeout.
func httpGet(port: Int) -> String? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 2, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    guard connected == 0 else { return nil }
    let request = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"
    _ = request.withCString { send(fd, $0, strlen($0), 0) }
    var response = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        response += buffer[0..<count]
    }
    return String(decoding: response, as: UTF8.self)
}

/// Asks the loopback port for up to two seconds until the answer contains `text`.
func waitForHTTP(port: Int, containing text: String) async throws -> Bool {
    for _ in 0..<20 {
        if httpGet(port: port)?.contains(text) == true { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return false
}
