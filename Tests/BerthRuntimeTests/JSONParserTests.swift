import DockerEngine
import Foundation
import Testing

/// The engine's answers are parsed by DockerEngine's own JSON reader: what JSON allows, exactly.
@Suite struct JSONParserTests {
    @Test(arguments: [
        (#"{"a": [1, -2.5, 3e2, 0, true, false, null], "b": "x"}"#, JSONValue.object(["a": [1, .number(-2.5), 300, 0, true, false, .null], "b": "x"])),
        (#""tab\there \"quoted\" \\ \/ \u00e9 \ud83d\ude00""#, .string("tab\there \"quoted\" \\ / é 😀")),
        (#""lone \ud800 half""#, .string("lone \u{FFFD} half")),
        (#""mismatched \ud800\u0041""#, .string("mismatched \u{FFFD}A")),
        ("  [ ]  ", .array([])),
        (#"{"nested": {"deeper": {}}}"#, .object(["nested": .object(["deeper": .object([:])])])),
        (#"9007199254740993"#, .number(9_007_199_254_740_992)),
    ])
    func parses(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(Data(text.utf8)) == expected)
    }

    @Test(arguments: ["+1", ".5", "5.", "01", "1e", "1e400", #""\u+abc""#, #""\x""#, "[1,]", #"{"a" 1}"#, "tru", "\"open", "[1] 2", ""])
    func refuses(text: String) {
        #expect(throws: (any Error).self) { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test func writesCompactSortedJSONThatReadsBack() throws {
        let value: JSONValue = ["b": [1, .number(2.5), "x\n\"y\""], "a": true, "c": .null, "big": .number(1e15 * 5)]
        let text = String(decoding: try value.encoded(), as: UTF8.self)
        #expect(text == #"{"a":true,"b":[1,2.5,"x\n\"y\""],"big":5000000000000000,"c":null}"#)
        #expect(try JSONValue.parse(Data(text.utf8)) == value)
        #expect(JSONValue.number(.infinity).int == nil)
    }
}
