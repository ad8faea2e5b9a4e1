internal import CLibYAML
import BerthDiagnostics

/// Writes node trees as YAML text with libyaml's emitter.
public enum YAMLEmitter {
    public enum EmitError: Error, Sendable, Equatable {
        case libyaml(String)
    }

    private final class Output {
        var bytes: [UInt8] = []
    }

    /// Emits one document. Plain scalars that would read back as something other than their text (`"80"`, `"true"`,
    /// `""`) must carry a quoted style; `YAMLNode.string` picks it.
    public static func emit(_ root: YAMLNode) throws -> String {
        var emitter = yaml_emitter_t()
        guard yaml_emitter_initialize(&emitter) == 1 else { throw EmitError.libyaml("cannot initialise the emitter") }
        defer { yaml_emitter_delete(&emitter) }
        let output = Output()
        let box = Unmanaged.passUnretained(output).toOpaque()
        yaml_emitter_set_output(&emitter, { data, buffer, size in
            guard let data, let buffer else { return 0 }
            let output = Unmanaged<Output>.fromOpaque(data).takeUnretainedValue()
            output.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, box)
        yaml_emitter_set_unicode(&emitter, 1)
        yaml_emitter_set_width(&emitter, -1)
        yaml_emitter_set_indent(&emitter, 2)

        var event = yaml_event_t()
        func send(_ ok: Int32) throws {
            guard ok == 1, yaml_emitter_emit(&emitter, &event) == 1 else {
                let problem = emitter.problem.map { String(cString: $0) } ?? "emitter failed"
                throw EmitError.libyaml(problem)
            }
        }
        try send(yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING))
        try send(yaml_document_start_event_initialize(&event, nil, nil, nil, 1))
        // Iterative walk: (node, next child index) frames.
        enum Work { case open(YAMLNode), closeSequence, closeMapping }
        var work: [Work] = [.open(root)]
        while let item = work.popLast() {
            switch item {
            case .closeSequence:
                try send(yaml_sequence_end_event_initialize(&event))
            case .closeMapping:
                try send(yaml_mapping_end_event_initialize(&event))
            case .open(let node):
                switch node.content {
                case .scalar(let text, let style):
                    let cStyle: yaml_scalar_style_t = switch style {
                    case .plain: YAML_PLAIN_SCALAR_STYLE
                    case .singleQuoted: YAML_SINGLE_QUOTED_SCALAR_STYLE
                    case .doubleQuoted: YAML_DOUBLE_QUOTED_SCALAR_STYLE
                    case .literal: YAML_LITERAL_SCALAR_STYLE
                    case .folded: YAML_FOLDED_SCALAR_STYLE
                    }
                    var bytes = Array(text.utf8)
                    let length = Int32(bytes.count)
                    try bytes.withUnsafeMutableBufferPointer { buffer in
                        let pointer = buffer.baseAddress ?? UnsafeMutablePointer<UInt8>(bitPattern: 1)
                        try send(yaml_scalar_event_initialize(&event, nil, nil, pointer, length, 1, 1, cStyle))
                    }
                case .sequence(let items):
                    let style = items.isEmpty ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE
                    try send(yaml_sequence_start_event_initialize(&event, nil, nil, 1, style))
                    work.append(.closeSequence)
                    for child in items.reversed() { work.append(.open(child)) }
                case .mapping(let pairs):
                    let style = pairs.isEmpty ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE
                    try send(yaml_mapping_start_event_initialize(&event, nil, nil, 1, style))
                    work.append(.closeMapping)
                    for pair in pairs.reversed() {
                        work.append(.open(pair.value))
                        work.append(.open(pair.key))
                    }
                }
            }
        }
        try send(yaml_document_end_event_initialize(&event, 1))
        try send(yaml_stream_end_event_initialize(&event))
        return String(decoding: output.bytes, as: UTF8.self)
    }
}

extension YAMLNode {
    private static let nowhere = SourceLocation(file: "<generated>", line: 0, column: 0)

    /// A string scalar for output, quoted when its plain form would read back as another type.
    public static func string(_ text: String) -> YAMLNode {
        let plainMeaning = resolvePlain(text)
        let needsQuotes = plainMeaning != .string(text) || text.hasPrefix(" ") || text.hasSuffix(" ")
        return YAMLNode(.scalar(text, needsQuotes ? .doubleQuoted : .plain), location: nowhere)
    }

    public static func int(_ value: Int) -> YAMLNode { YAMLNode(.scalar(String(value), .plain), location: nowhere) }
    /// A plain number, written as Swift writes a Double (`0.5`, `2.0`).
    public static func number(_ value: Double) -> YAMLNode { YAMLNode(.scalar(String(value), .plain), location: nowhere) }
    public static func bool(_ value: Bool) -> YAMLNode { YAMLNode(.scalar(value ? "true" : "false", .plain), location: nowhere) }
    public static func float(_ value: Double) -> YAMLNode { YAMLNode(.scalar(String(value), .plain), location: nowhere) }
    public static var null: YAMLNode { YAMLNode(.scalar("null", .plain), location: nowhere) }
    public static func list(_ items: [YAMLNode]) -> YAMLNode { YAMLNode(.sequence(items), location: nowhere) }
    public static func map(_ pairs: [(String, YAMLNode)]) -> YAMLNode {
        YAMLNode(.mapping(pairs.map { YAMLPair(key: .string($0.0), value: $0.1) }), location: nowhere)
    }
}
