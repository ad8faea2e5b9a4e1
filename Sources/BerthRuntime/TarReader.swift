/// Reads the tar archives the engine sends (`GET /containers/{id}/archive`): ustar entries, with PAX (`x`) and GNU
/// (`L`, `K`) long names.
struct TarReader {
    enum Kind: Equatable { case file, directory, symlink(String), hardlink(String), other }

    struct Entry {
        var path: String
        var kind: Kind
        var mode: Int
        var uid: Int
        var gid: Int
        var mtime: Int
        var contents: ArraySlice<UInt8>
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func entries(_ bytes: [UInt8]) throws(Malformed) -> [Entry] {
        var entries: [Entry] = []
        var offset = 0
        var longName: String?
        var longLink: String?
        while offset + 512 <= bytes.count {
            let base = offset
            let header = bytes[base..<(base + 512)]
            if header.allSatisfy({ $0 == 0 }) { break }
            func text(_ start: Int, _ length: Int) -> String {
                let field = header[(base + start)..<(base + start + length)]
                return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
            }
            func number(_ start: Int, _ length: Int) -> Int {
                Int(text(start, length).trimmingCharacters(in: .init(charactersIn: " \0")), radix: 8) ?? 0
            }
            let size = number(124, 12)
            let type = header[base + 156]
            let start = base + 512
            guard start + size <= bytes.count else { throw Malformed(description: "the archive ends inside an entry") }
            let contents = bytes[start..<(start + size)]
            offset = start + (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "x"):
                for (key, value) in pax(contents) {
                    if key == "path" { longName = value }
                    if key == "linkpath" { longLink = value }
                }
                continue
            case UInt8(ascii: "L"):
                longName = String(decoding: contents.prefix { $0 != 0 }, as: UTF8.self)
                continue
            case UInt8(ascii: "K"):
                longLink = String(decoding: contents.prefix { $0 != 0 }, as: UTF8.self)
                continue
            case UInt8(ascii: "g"):
                continue
            default:
                break
            }
            var path = text(0, 100)
            if text(257, 5) == "ustar", !text(345, 155).isEmpty { path = text(345, 155) + "/" + path }
            let link = longLink ?? text(157, 100)
            path = longName ?? path
            longName = nil
            longLink = nil
            let kind: Kind = switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): .file
            case UInt8(ascii: "5"): .directory
            case UInt8(ascii: "2"): .symlink(link)
            case UInt8(ascii: "1"): .hardlink(link)
            default: .other
            }
            entries.append(Entry(path: path, kind: kind, mode: number(100, 8), uid: number(108, 8), gid: number(116, 8), mtime: number(136, 12),
                                 contents: kind == .file ? contents : []))
        }
        return entries
    }

    /// PAX records: `<length> <key>=<value>\n`.
    private static func pax(_ bytes: ArraySlice<UInt8>) -> [(String, String)] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { record in
            guard let space = record.firstIndex(of: " "), let equals = record[space...].firstIndex(of: "=") else { return nil }
            return (String(record[record.index(after: space)..<equals]), String(record[record.index(after: equals)...]))
        }
    }
}
