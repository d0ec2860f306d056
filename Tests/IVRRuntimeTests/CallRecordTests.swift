import Foundation
import Testing
@testable import IVRRuntime

@Suite struct CallRecordTests {
    @Test func roundTripsAsOneSortedLine() throws {
        let start = try #require(CallRecord.parseDate("2026-11-23T15:00:00.000Z"))
        let record = CallRecord(
            id: "c1", flow: "acme-main", from: "+15551234567", to: "800", backend: "simulate",
            start: start, answer: start, end: start.addingTimeInterval(62.5), outcome: "transfer",
            destination: .init(kind: "sip", value: "sip:sales@pbx.acme.example"), path: ["welcome", "main-menu"],
            inputs: [.init(node: "main-menu", digits: "1", kind: "menu"),
                     .init(node: "card", digits: "***", kind: "capture", sensitive: true)])
        let line = record.jsonLine()
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix(#"{"answer":"2026-11-23T15:00:00.000Z","backend":"simulate","destination":{"kind":"sip","value":"sip:sales@pbx.acme.example"},"duration":62.5,"durationMs":62500,"#))
        #expect(CallRecord.parse(line: line) == record)
        // A record written before `duration` existed still reads.
        let old = line.replacingOccurrences(of: #""duration":62.5,"#, with: "")
        #expect(CallRecord.parse(line: old)?.durationMs == 62500)
        #expect(CallRecord.parse(line: "not json") == nil)
        // Not transferred: `destination` is there, as null.
        var hungUp = record
        hungUp.destination = nil
        #expect(hungUp.jsonLine().contains(#""destination":null,"#))
        #expect(CallRecord.parse(line: hungUp.jsonLine()) == hungUp)
    }

    /// `serve` and `call` say which node ran a call; other backends leave the fields out.
    @Test func nodeIdentityRoundTripsAndIsAbsentWhenUnknown() throws {
        let start = try #require(CallRecord.parseDate("2026-11-23T15:00:00.000Z"))
        var record = CallRecord(id: "c2", flow: "main", from: nil, to: nil, backend: "sip", start: start, answer: start,
                                end: start.addingTimeInterval(1), outcome: "hangup", destination: nil, path: [], inputs: [])
        #expect(!record.jsonLine().contains(#""bundle""#) && !record.jsonLine().contains(#""server""#)
                && !record.jsonLine().contains(#""listen""#))
        record.bundle = String(repeating: "ab", count: 32)
        record.server = "node-1"
        record.listen = "udp:127.0.0.1:5060"
        let line = record.jsonLine()
        #expect(line.contains(#""bundle":"\#(String(repeating: "ab", count: 32))""#))
        #expect(line.contains(#""listen":"udp:127.0.0.1:5060""#) && line.contains(#""server":"node-1""#))
        #expect(CallRecord.parse(line: line) == record)
    }

    /// A record written by another tool with only the spec's summary fields
    /// (flow-language.md section 7) reads; the rest is filled in.
    @Test func aRecordWithTheSpecFieldsOnlyReads() throws {
        let minimal = #"{"flow":"main","start":"2026-11-23T15:00:00Z","end":"2026-11-23T15:00:30Z","duration":30,"outcome":"hangup","destination":null,"path":["a"],"inputs":[]}"#
        let r = try #require(CallRecord.parse(line: minimal))
        #expect(r.durationMs == 30_000 && r.id == "" && r.backend == "" && r.path == ["a"])
        let bare = try #require(CallRecord.parse(line: #"{"flow":"m","start":"2026-11-23T15:00:00Z","end":"2026-11-23T15:00:02.5Z","outcome":"transfer"}"#))
        #expect(bare.durationMs == 2500 && bare.inputs.isEmpty && bare.path.isEmpty)
        #expect(CallRecord.parse(line: #"{"flow":"m","start":"2026-11-23T15:00:00Z","outcome":"hangup"}"#) == nil)  // no end
        #expect(CallRecord.parse(line: #"{"flow":"m","start":"2026-11-23T15:00:00Z","end":"2026-11-23T15:00:00Z","outcome":"hangup","duration":1e300}"#)?.durationMs == 0)
    }
}
