import Foundation
import IVRRuntime
import Testing
@testable import IVRReport

/// Talk time and billable minutes of bridged transfers (records' `bridge`),
/// for all calls, per flow and per destination, in the three formats.
@Suite struct ReportTalkTimeTests {
    static func bridged(_ id: String, flow: String = "orders", number: String, ring: Double, talk: Double,
                        answered: Bool = true) -> CallRecord {
        let start = CallRecord.parseDate("2026-11-23T15:00:00.000Z") ?? Date(timeIntervalSince1970: 0)
        let destination = CallRecord.Destination(kind: "number", value: number)
        var r = CallRecord(id: id, flow: flow, from: "+15551234567", to: "5000", backend: "sip", start: start, answer: start,
                           end: start.addingTimeInterval(10 + ring + talk), outcome: "transfer", destination: destination,
                           path: ["main-menu", "order-desk"], inputs: [])
        r.bridge = CallRecord.Bridge(destination: destination, ringSeconds: ring, answered: answered, talkSeconds: talk,
                                     hangupBy: answered ? "callee" : nil)
        return r
    }

    static let records: [CallRecord] = [
        bridged("a", number: "+442071234567", ring: 4, talk: 125),
        bridged("b", number: "+442071234999", ring: 2, talk: 65),
        bridged("c", flow: "returns", number: "+442071234567", ring: 3, talk: 0.5),
        bridged("d", number: "+442071234567", ring: 30, talk: 0, answered: false),
        SampleLog.record("e", flow: "orders", start: "2026-11-23T16:00:00.000Z", seconds: 8, outcome: "hangup", path: ["main-menu"]),
    ]

    @Test func talkTimeIsSummedPerFlowAndDestination() throws {
        let s = CallStatistics(Self.records)
        let all = try #require(s.talk)
        #expect(all.bridges == 3)
        #expect(all.talkMs == 190_500)
        #expect(all.billableMinutes == 3 + 2 + 1)
        #expect(all.destinations.map(\.name) == ["number +442071234567", "number +442071234999"])
        #expect(all.destinations[0].bridges == 2 && all.destinations[0].billableMinutes == 4)
        let orders = try #require(s.flows.first { $0.name == "orders" }?.talk)
        #expect(orders.bridges == 2 && orders.talkMs == 190_000 && orders.billableMinutes == 5)
        #expect(s.flows.first { $0.name == "returns" }?.talk?.billableMinutes == 1)
    }

    @Test func timeInIVRLeavesTheBridgeOut() {
        // 10 s in the IVR, then 4 s ringing and 125 s of talk.
        #expect(CallStatistics.timeInIVR(Self.records[0]) == 10_000)
        // An attempt nobody answered: its 30 s of ringing were spent in the IVR (ringback, then on-fail).
        #expect(CallStatistics.timeInIVR(Self.records[3]) == 40_000)
    }

    @Test func recordsWithoutBridgesHaveNoTalkSection() {
        let s = CallStatistics(SampleLog.records)
        #expect(s.talk == nil)
        #expect(!ReportTextFormatter.format(s, files: 1, malformed: 0).contains("Talk time"))
        #expect(!ReportJSONFormatter.format(s, files: 1, malformed: 0).contains("talk"))
        #expect(!ReportHTMLFormatter.format(s, files: 1, malformed: 0).contains("Talk time"))
    }

    @Test func theThreeFormatsShowTheSameNumbers() {
        let s = CallStatistics(Self.records)
        let text = ReportTextFormatter.format(s, files: 1, malformed: 0)
        #expect(text.contains("""
            Talk time (bridged transfers)
              all destinations      3 calls  talked 3m10s  billable 6 min
              number +442071234567  2 calls  talked 2m05s  billable 4 min
              number +442071234999   1 call  talked 1m05s  billable 2 min

            """), "\(text)")
        #expect(text.contains("""
              Talk time (bridged transfers)
                all destinations      2 calls  talked 3m10s  billable 5 min
            """), "\(text)")
        let json = ReportJSONFormatter.format(s, files: 1, malformed: 0)
        #expect(json.contains(#""talk":{"bridges":3,"talkMs":190500,"billableMinutes":6,"destinations":[{"destination":"number +442071234567","bridges":2,"talkMs":125500,"billableMinutes":4},{"destination":"number +442071234999","bridges":1,"talkMs":65000,"billableMinutes":2}]}"#), "\(json)")
        let html = ReportHTMLFormatter.format(s, files: 1, malformed: 0)
        #expect(html.contains("<h2>Talk time (bridged transfers)</h2>"))
        #expect(html.contains("<td>number +442071234567</td><td class=\"n\">2</td><td class=\"n\">2m05s</td><td class=\"n\">4</td>"), "\(html)")
    }
}
