import DockerEngine
import Foundation

/// `cp` between the host and a container, through the engine's archive endpoints, with the docker CLI's rules for
/// where a file or a folder lands (docs/reference/commandline/container_cp.md): into an existing folder under its own
/// name, over an existing file, or as the new name of a path that does not exist (whose parent must). `SRC/.` copies
/// a folder's contents.
public enum FileCopy {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Copies `source` out of a container to `destination` on the host. `container` names it in messages.
    public static func fromContainer(client: DockerClient, id: String, container: String, source: String, destination: String,
                                     followLink: Bool) async throws {
        guard var stat = try await client.statPath(id, path: source) else {
            throw Failure(description: "Could not find the file \(source) in container \(container)")
        }
        var path = source
        if followLink, stat.isSymlink, !stat.linkTarget.isEmpty {
            path = stat.linkTarget.hasPrefix("/") ? stat.linkTarget : (source as NSString).deletingLastPathComponent + "/" + stat.linkTarget
            guard let target = try await client.statPath(id, path: path) else { throw Failure(description: "Could not find the file \(path) in container \(container)") }
            stat = target
        }
        let entries = try TarReader.entries(try await client.getArchive(id, path: path))
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory)
        let contentsOnly = source.hasSuffix("/.")
        // Where the archive's first component lands on the host.
        let target: String
        if stat.isDirectory {
            if exists && !isDirectory.boolValue { throw Failure(description: "cannot copy a directory to a file: \(destination)") }
            target = exists && !contentsOnly ? (destination as NSString).appendingPathComponent((source as NSString).lastPathComponent) : destination
        } else if exists && isDirectory.boolValue {
            target = (destination as NSString).appendingPathComponent(stat.name)
        } else if destination.hasSuffix("/") {
            throw Failure(description: "no such directory: \(destination)")
        } else {
            target = destination
        }
        let parent = (target as NSString).deletingLastPathComponent
        guard parent.isEmpty || FileManager.default.fileExists(atPath: parent) else {
            throw Failure(description: "no such directory: \(parent)")
        }
        for entry in entries {
            let components = entry.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            let rest = components.dropFirst().filter { $0 != "." }
            let local = rest.isEmpty ? target : (target as NSString).appendingPathComponent(rest.joined(separator: "/"))
            try write(entry, to: local)
        }
    }

    private static func write(_ entry: TarReader.Entry, to path: String) throws {
        let manager = FileManager.default
        switch entry.kind {
        case .directory:
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            try? manager.setAttributes([.posixPermissions: entry.mode & 0o7777], ofItemAtPath: path)
        case .file:
            try? manager.removeItem(atPath: path)
            guard manager.createFile(atPath: path, contents: Data(entry.contents), attributes: [.posixPermissions: entry.mode & 0o7777]) else {
                throw Failure(description: "cannot write \(path)")
            }
            try? manager.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(entry.mtime))], ofItemAtPath: path)
        case .symlink(let target):
            try? manager.removeItem(atPath: path)
            try manager.createSymbolicLink(atPath: path, withDestinationPath: target)
        case .hardlink, .other:
            break
        }
    }

    /// Copies `source` on the host into a container at `destination`; `archive` keeps the files' owners (`-a`).
    public static func toContainer(client: DockerClient, id: String, container: String, source: String, destination: String,
                                   archive: Bool, followLink: Bool) async throws {
        let manager = FileManager.default
        var local = source
        if followLink, let resolved = try? manager.destinationOfSymbolicLink(atPath: source) {
            local = resolved.hasPrefix("/") ? resolved : ((source as NSString).deletingLastPathComponent as NSString).appendingPathComponent(resolved)
        }
        guard let attributes = try? manager.attributesOfItem(atPath: local) else {
            throw Failure(description: "could not find the file \(source): no such file or directory")
        }
        let sourceIsDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
        let contentsOnly = source.hasSuffix("/.")
        let directory: String
        let rootName: String?
        if let stat = try await client.statPath(id, path: destination) {
            if stat.isDirectory {
                directory = destination
                rootName = contentsOnly ? nil : (source as NSString).lastPathComponent
            } else {
                if sourceIsDirectory { throw Failure(description: "cannot copy a directory to a file: \(container):\(destination)") }
                directory = (destination as NSString).deletingLastPathComponent
                rootName = (destination as NSString).lastPathComponent
            }
        } else {
            if destination.hasSuffix("/") { throw Failure(description: "no such directory: \(container):\(destination)") }
            directory = (destination as NSString).deletingLastPathComponent.isEmpty ? "/" : (destination as NSString).deletingLastPathComponent
            guard let parent = try await client.statPath(id, path: directory), parent.isDirectory else {
                throw Failure(description: "no such directory: \(container):\(directory)")
            }
            rootName = (destination as NSString).lastPathComponent
        }
        var tar = TarWriter()
        try add(local, as: rootName, to: &tar)
        try await client.extractArchive(id, into: directory, tar: tar.finish(), copyOwnership: archive)
    }

    /// Adds a file, or a folder and everything in it, named `name` (a folder's contents at the top when nil).
    private static func add(_ path: String, as name: String?, to tar: inout TarWriter) throws {
        let manager = FileManager.default
        let attributes = try manager.attributesOfItem(atPath: path)
        let mode = (attributes[.posixPermissions] as? Int) ?? 0o644
        let uid = (attributes[.ownerAccountID] as? Int) ?? 0
        let gid = (attributes[.groupOwnerAccountID] as? Int) ?? 0
        let mtime = Int((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
        switch attributes[.type] as? FileAttributeType {
        case .typeDirectory?:
            if let name { tar.add(path: name + "/", kind: .directory, mode: mode, contents: [], uid: uid, gid: gid, mtime: mtime) }
            for child in try manager.contentsOfDirectory(atPath: path).sorted() {
                try add((path as NSString).appendingPathComponent(child), as: name.map { "\($0)/\(child)" } ?? child, to: &tar)
            }
        case .typeSymbolicLink?:
            let target = try manager.destinationOfSymbolicLink(atPath: path)
            tar.add(path: name ?? "", kind: .symlink(target), mode: mode, contents: [], uid: uid, gid: gid, mtime: mtime)
        case .typeRegular?:
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            tar.add(path: name ?? "", kind: .file, mode: mode, contents: Array(data), uid: uid, gid: gid, mtime: mtime)
        default:
            return
        }
    }
}
