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
    }
}
