internal import CLibYAML

/// Pulls events out of libyaml's parser for a whole input. Stops at the first syntax error, which it returns with the
/// events that came before it.
public enum YAMLEventReader {
    /// Parses `bytes` and calls `body` for each event; returns the syntax error, if there was one.
    /// `body` may return `false` to stop early.
    public static func read(_ bytes: [UInt8], _ body: (YAMLEvent) -> Bool) -> YAMLSyntaxError? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return YAMLSyntaxError(message: "cannot initialise the YAML parser", line: 1, column: 1)
        }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> YAMLSyntaxError? in
            // libyaml reads from the pointer until parsing ends; the buffer outlives the loop below.
            let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)
            guard let base else { return nil }
            yaml_parser_set_input_string(&parser, base, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    return syntaxError(of: &parser)
                }
                defer { yaml_event_delete(&event) }
                let converted = convert(&event)
                if case .streamEnd = converted.kind {
                    _ = body(converted)
                    return nil
                }
                if !body(converted) { return nil }
            }
        }
    }

    /// Reads every event of `bytes`, for tests and tools.
    public static func events(_ bytes: [UInt8]) -> (events: [YAMLEvent], error: YAMLSyntaxError?) {
        var events: [YAMLEvent] = []
        let error = read(bytes) {
            events.append($0)
            return true
        }
        return (events, error)
    }

    private static func syntaxError(of parser: inout yaml_parser_t) -> YAMLSyntaxError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) \(context)"
        }
        // libyaml's problem_mark points at the offending character; for reader (encoding) errors it is the offset.
        let mark = parser.problem_mark
        var line = Int(mark.line) + 1
        var column = Int(mark.column) + 1
        if parser.error == YAML_READER_ERROR {
            message = problem.contains("UTF-8") || problem.contains("utf-8") ? "invalid UTF-8 in the file (\(problem))" : problem
            if line == 1, column == 1, parser.problem_offset > 0 {
                (line, column) = (0, Int(parser.problem_offset))
            }
        }
        return YAMLSyntaxError(message: message, line: line, column: column)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func convert(_ event: inout yaml_event_t) -> YAMLEvent {
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        var anchor: String?
        var tag: String?
        let kind: YAMLEvent.Kind
        switch event.type {
        case YAML_STREAM_START_EVENT:
            kind = .streamStart
        case YAML_STREAM_END_EVENT:
            kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            kind = .documentStart(explicit: event.data.document_start.implicit == 0)
        case YAML_DOCUMENT_END_EVENT:
            kind = .documentEnd(explicit: event.data.document_end.implicit == 0)
        case YAML_ALIAS_EVENT:
            kind = .alias(string(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            anchor = string(scalar.anchor)
            tag = string(scalar.tag)
            let text: String
            if let value = scalar.value {
                // Scalars may hold NUL characters, so read by length rather than as a C string.
                text = String(decoding: UnsafeBufferPointer(start: value, count: Int(scalar.length)), as: UTF8.self)
            } else {
                text = ""
            }
            let style: ScalarStyle = switch scalar.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: .literal
            case YAML_FOLDED_SCALAR_STYLE: .folded
            default: .plain
            }
            kind = .scalar(text, style)
        case YAML_SEQUENCE_START_EVENT:
            anchor = string(event.data.sequence_start.anchor)
            tag = string(event.data.sequence_start.tag)
            kind = .sequenceStart(flow: event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE)
        case YAML_SEQUENCE_END_EVENT:
            kind = .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            anchor = string(event.data.mapping_start.anchor)
            tag = string(event.data.mapping_start.tag)
            kind = .mappingStart(flow: event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE)
        case YAML_MAPPING_END_EVENT:
            kind = .mappingEnd
        default:
            kind = .streamEnd
        }
        return YAMLEvent(kind: kind, anchor: anchor, tag: tag, line: line, column: column)
    }
}
