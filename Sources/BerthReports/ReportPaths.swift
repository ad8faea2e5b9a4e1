import BerthDiagnostics
import Foundation

/// Paths as the machine formats need them: relative to a base (with `..` where needed), the git top level, and
/// RFC 3986 URIs.
public enum ReportPaths {
    /// `path` relative to the directory `base`, with `..` steps when it lies outside; both are absolute.
    public static func relative(_ path: String, to base: String) -> String {
        let from = components(base), to = components(path)
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        let steps = Array(repeating: "..", count: from.count - common) + to[common...]
        return steps.isEmpty ? "." : steps.joined(separator: "/")
    }

    /// `path` relative to `base` when it lies inside it, or nil.
    public static func inside(_ path: String, base: String) -> String? {
        let from = components(base), to = components(path)
        guard to.count > from.count, Array(to.prefix(from.count)) == from else { return nil }
        return to.dropFirst(from.count).joined(separator: "/")
    }

    /// The directory holding `.git` (a directory or, in a worktree or submodule, a file) at or above `directory`.
    public static func gitTopLevel(from directory: String) -> String? {
        var current = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: current.appendingPathComponent(".git").path) { return current.path }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    /// `file:line:column` with the file relative to `base` when inside it, absolute otherwise.
    public static func place(_ location: SourceLocation, base: String) -> String {
        "\(inside(location.file, base: base) ?? location.file):\(location.line):\(location.column)"
    }

    /// Percent-encodes a path for a URI (RFC 3986): every byte but the unreserved characters and `/` is encoded, so
    /// a space, a non-ASCII letter, `%`, `,` or `:` cannot change the URI's meaning.
    public static func uriPath(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    /// A `file:` URI for an absolute path; `directory` adds the trailing slash that a base URI needs.
    public static func fileURI(_ path: String, directory: Bool = false) -> String {
        "file://" + uriPath(path) + (directory && !path.hasSuffix("/") ? "/" : "")
    }

    private static func components(_ path: String) -> [Substring] {
        URL(fileURLWithPath: path).standardizedFileURL.path.split(separator: "/")
    }
}
