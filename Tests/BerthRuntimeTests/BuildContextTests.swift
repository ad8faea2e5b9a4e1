import BerthRuntime
import DockerEngine
import Foundation
import Testing

@Suite struct BuildContextTests {
    @Test(arguments: [
        ("*.md", "NOTES.md", true),
        ("*.md", "docs/NOTES.md", false),
        ("**/*.md", "docs/deep/NOTES.md", true),
        ("site/private", "site/private/key.txt", true),
        ("site/private/", "site/private", true),
        ("/build", "build/out.o", true),
        ("?.txt", "a.txt", true),
        ("node_modules", "src/node_modules", false),
    ])
    func ignorePatterns(pattern: String, path: String, excluded: Bool) {
        #expect(BuildContext.IgnoreRules(pattern).isExcluded(path) == excluded, "\(pattern) vs \(path)")
    }

    @Test func laterRulesWinAndExceptionsReinclude() {
        let rules = BuildContext.IgnoreRules("# comment\n*.log\n!keep.log\n")
        #expect(rules.isExcluded("debug.log"))
        #expect(!rules.isExcluded("keep.log"))
        #expect(!rules.isExcluded("main.swift"))
    }

    @Test func archiveIsAValidTarWithoutIgnoredFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("berth-ctx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("secret"), withIntermediateDirectories: true)
        try Data("FROM scratch\n".utf8).write(to: directory.appendingPathComponent("Dockerfile"))
        try Data("secret\n".utf8).write(to: directory.appendingPathComponent(".dockerignore"))
        try Data("x".utf8).write(to: directory.appendingPathComponent("secret/key"))
        let long = String(repeating: "d", count: 120)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(long), withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: directory.appendingPathComponent("\(long)/file.txt"))
        let tar = try BuildContext.archive(directory: directory.path)
        let archive = directory.deletingLastPathComponent().appendingPathComponent("berth-ctx-\(UUID().uuidString).tar")
        try Data(tar).write(to: archive)
        // The system's tar reads it back.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/tar")
        process.arguments = ["-tf", archive.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(listing.contains("Dockerfile"))
        #expect(listing.contains("\(long)/file.txt"))
        #expect(!listing.contains("secret/key"))
    }
}
