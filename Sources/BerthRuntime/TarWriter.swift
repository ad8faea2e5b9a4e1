/// Writes POSIX ustar archives in memory.
struct TarWriter {
    enum Kind { case file, directory, symlink(String) }

    private var bytes: [UInt8] = []

    mutating func add(path: String, kind: Kind, mode: Int, contents: [UInt8], uid: Int = 0, gid: Int = 0, mtime: Int = 0) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, length: Int) {
            for (index, byte) in text.utf8.prefix(length).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, length: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: max(0, length - 1 - digits.count)) + digits, at: offset, length: length - 1)
        }
        var name = path
        var prefix = ""
        if name.utf8.count > 100, let split = name.dropLast().lastIndex(of: "/"), name.distance(from: name.startIndex, to: split) <= 155 {
            prefix = String(name[..<split])
            name = String(name[name.index(after: split)...])
        }
        put(name, at: 0, length: 100)
        octal(mode & 0o7777, at: 100, length: 8)
        octal(uid, at: 108, length: 8)
        octal(gid, at: 116, length: 8)
        octal(contents.count, at: 124, length: 12)
        octal(mtime, at: 136, length: 12)
        switch kind {
        case .file: header[156] = UInt8(ascii: "0")
        case .directory: header[156] = UInt8(ascii: "5")
        case .symlink(let target):
            header[156] = UInt8(ascii: "2")
            put(target, at: 157, length: 100)
        }
        put("ustar", at: 257, length: 6)
        put("00", at: 263, length: 2)
        put(prefix, at: 345, length: 155)
        for index in 148..<156 { header[index] = UInt8(ascii: " ") }
        let checksum = header.reduce(0) { $0 + Int($1) }
        octal(checksum, at: 148, length: 7)
        header[155] = UInt8(ascii: " ")
        bytes += header
        bytes += contents
        let padding = (512 - contents.count % 512) % 512
        bytes += [UInt8](repeating: 0, count: padding)
    }

    mutating func finish() -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: 1024)
    }
}
