import Foundation

/// Validates JSON documents with `scripts/validate-json.py` (python's jsonschema, with URI format checks).
enum SchemaValidation {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let planSchema = root.appendingPathComponent("schemas/plan.schema.json").path
    static let checkSchema = root.appendingPathComponent("schemas/check.schema.json").path
    /// The official SARIF 2.1.0 schema, from the corpus.
    static let sarifSchema = root.deletingLastPathComponent().appendingPathComponent("shared/corpus/sarif/sarif-schema-2.1.0.json").path

    static let available: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import jsonschema, referencing, rfc3987"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// Validates the JSON texts against `schema`; returns one verdict line per document (`valid ...`/`invalid ...`).
    static func validate(_ documents: [String], schema: String) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("berth-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (index, text) in documents.enumerated() {
            let path = directory.appendingPathComponent("document\(index).json").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/validate-json.py").path, schema] + paths
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return out.split(separator: "\n").map(String.init)
    }
}
