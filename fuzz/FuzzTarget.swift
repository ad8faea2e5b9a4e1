// The libFuzzer entry point of scripts/fuzz.sh: one input is one Compose file, loaded, checked and rendered.
import Foundation

let fuzzPath = "/dev/shm/berth-fuzz-\(getpid()).yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func berthFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    FileManager.default.createFile(atPath: fuzzPath, contents: bytes)
    let loaded = ProjectLoader.load(ProjectOptions(files: [fuzzPath], environment: ["A": "1"], currentDirectory: "/dev/shm"))
    if let project = loaded.project {
        let plan = Planner.plan(project: project, options: PlanOptions(), engine: .unreachable, host: .unknown)
        _ = plan.diagnostics.count
        let document = ConfigRenderer.document(project)
        _ = try? YAMLEmitter.emit(document)
        _ = JSONWriter.write(document)
    }
    return 0
}
