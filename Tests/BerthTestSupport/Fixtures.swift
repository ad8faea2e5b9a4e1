import BerthGraph
import BerthPlan
import BerthDiagnostics
import BerthSpec
import Foundation

/// A temporary project directory with files, loaded through the real loader.
public struct Fixture {
    public let directory: URL

    public init(_ files: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("berth-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    public func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    public func load(files: [String] = [], environment: [String: String] = [:], profiles: [String] = [], projectName: String? = nil,
              envFiles: [String] = [], selected: [String] = []) -> LoadResult {
        ProjectLoader.load(ProjectOptions(files: files.map(path), projectName: projectName, envFiles: envFiles.map(path),
                                          profiles: profiles, selectedServices: selected, environment: environment,
                                          currentDirectory: directory.path))
    }
}

/// Inline YAML with position markers: `⟨name⟩` marks the position of the next character and is removed, so that
/// expected locations come from the text rather than from counting.
public struct MarkedYAML {
    public var text: String
    var marks: [String: (line: Int, column: Int)] = [:]

    public init(_ marked: String) {
        var out = ""
        var line = 1, column = 1
        var index = marked.startIndex
        while index < marked.endIndex {
            if marked[index] == "⟨", let close = marked[index...].firstIndex(of: "⟩") {
                marks[String(marked[marked.index(after: index)..<close])] = (line, column)
                index = marked.index(after: close)
                continue
            }
            let c = marked[index]
            out.append(c)
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
            index = marked.index(after: index)
        }
        text = out
    }

    public subscript(_ name: String) -> (line: Int, column: Int) { marks[name] ?? (0, 0) }
}

extension LoadResult {
    public func diagnostics(code: String) -> [Diagnostic] { diagnostics.filter { $0.code == code } }
}

/// Loads inline files and runs the graph and the checks, without the host scan or an engine unless given.
public func check(_ files: [String: String], load: [String] = ["compose.yaml"], environment: [String: String] = [:], profiles: [String] = [],
                  options: PreflightChecker.Options = .init()) throws -> (LoadResult, [Diagnostic]) {
    let fixture = try Fixture(files)
    let result = fixture.load(files: load, environment: environment, profiles: profiles)
    guard let project = result.project else { return (result, result.diagnostics) }
    let (_, graphDiagnostics) = ServiceGraph.build(project)
    return (result, result.diagnostics + graphDiagnostics + PreflightChecker(project: project, options: options).run().diagnostics)
}

public func codes(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map(\.code) }
