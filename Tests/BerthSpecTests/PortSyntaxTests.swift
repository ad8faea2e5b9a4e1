import BerthDiagnostics
import BerthSpec
import Foundation
import BerthTestSupport
import Testing

@Suite struct PortSyntaxTests {
    let here = SourceLocation(file: "t", line: 1, column: 1)

    @Test(.enabled(if: Corpus.available, "compose-go port cases: needs ../shared/corpus")) func composeGoPortCases() throws {
        let corpus = try Corpus.require()
        let data = try Data(contentsOf: corpus.appendingPathComponent("compose-go/_golden/ports/port_cases.json"))
        let cases = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["parse_port_config"] as? [[String: Any]])
        for entry in cases {
            let value = try #require(entry["value"] as? String)
            guard let expected = entry["expected"] as? [[String: Any]] else {
                if case .success(let ports) = PortSyntax.parse(value, at: here) { Issue.record("\(value) should be refused, got \(ports)") }
                continue
            }
            let parsed = try PortSyntax.parse(value, at: here).get()
            #expect(parsed.count == expected.count, "\(value)")
            for item in expected {
                let match = parsed.contains { port in
                    port.target == item["target"] as? Int
                        && port.published?.description == item["published"] as? String
                        && port.protocol == (item["protocol"] as? String ?? "tcp")
                        && port.hostIP == item["host_ip"] as? String
                }
                #expect(match, "\(value): expected \(item) in \(parsed)")
            }
        }
        print("ports: \(cases.count) compose-go short-syntax cases checked")
    }

    @Test func hostAddresses() throws {
        let v6 = try PortSyntax.parse("[::1]:8080:80/udp", at: here).get()
        #expect(v6.first?.hostIP == "::1")
        #expect(v6.first?.protocol == "udp")
        #expect(v6.first?.published == PortRange(8080))
        let v4 = try PortSyntax.parse("127.0.0.1:53:53", at: here).get()
        #expect(v4.first?.hostIP == "127.0.0.1")
        let range = try PortSyntax.parse("9000-9002:8000-8002", at: here).get()
        #expect(range.map(\.target) == [8000, 8001, 8002])
        #expect(range.map { $0.published?.lower } == [9000, 9001, 9002])
        let single = try PortSyntax.parse("8000-8010:80", at: here).get()
        #expect(single.count == 1 && single[0].published == PortRange(8000, 8010))
    }

    @Test(arguments: ["80:80:80:80/tcpx", "abc", "70000:80", "8080:0", "9000-9001:8000-8003", "[::1:80:80"])
    func badPorts(spec: String) {
        if case .success(let ports) = PortSyntax.parse(spec, at: here) { Issue.record("\(spec) parsed as \(ports)") }
    }
}
