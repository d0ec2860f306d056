import Foundation
import IVRRuntime
import Testing
@testable import IVRReport

/// A campaign's records (`campaign`, `contact`, `attempt`, `answeredBy`):
/// answer rate, machine share, completion and attempts per contact, in text
/// and JSON; reports of other records keep their shape.
@Suite struct ReportCampaignTests {
    static func call(_ contact: Int, attempt: Int, answeredBy: String?, campaign: String = "run.journal") -> CallRecord {
        let start = CallRecord.parseDate("2026-12-07T18:00:00.000Z") ?? Date(timeIntervalSince1970: 0)
        var r = CallRecord(id: "c\(contact)-\(attempt)", flow: "reminder", from: "sip:ivrc@127.0.0.1", to: "sip:+1555@trunk",
                           backend: "sip", start: start, answer: answeredBy == nil ? nil : start, end: start.addingTimeInterval(5),
                           outcome: answeredBy == nil ? "error" : "hangup", destination: nil, path: [], inputs: [])
        CampaignCall(campaign: campaign, contact: contact, attempt: attempt)
            .tag(&r, answeredBy: answeredBy.flatMap(CallPresets.AnsweredBy.init(rawValue:)) ?? .unknown)
        return r
    }

    static let records: [CallRecord] = [
        call(2, attempt: 1, answeredBy: "human"),
        call(3, attempt: 1, answeredBy: nil), call(3, attempt: 2, answeredBy: nil), call(3, attempt: 3, answeredBy: "machine"),
        call(4, attempt: 1, answeredBy: nil), call(4, attempt: 2, answeredBy: nil), call(4, attempt: 3, answeredBy: nil),
        call(5, attempt: 1, answeredBy: "unknown"),
        SampleLog.record("inbound", flow: "reminder", start: "2026-12-07T18:00:00.000Z", seconds: 8, outcome: "hangup", path: []),
    ]

    @Test func campaignNumbers() throws {
        let c = try #require(CallStatistics(Self.records).campaigns.first)
        #expect(CallStatistics(Self.records).campaigns.count == 1)
        #expect(c.name == "run.journal")
        #expect((c.calls, c.answered, c.human, c.machine, c.contacts, c.contactsAnswered) == (8, 3, 1, 1, 4, 3))
        #expect(c.answerRate == 3.0 / 8 && c.machineShare == 1.0 / 3 && c.completion == 0.75 && c.attemptsPerContact == 2)
    }

    @Test func textAndJSON() {
        let s = CallStatistics(Self.records)
        let text = ReportTextFormatter.format(s, files: 1, malformed: 0)
        #expect(text.contains("""

            Campaign run.journal
              calls 8, answered 3 (answer rate 37.5%; human 1, machine 1, machine share 33.3%)
              contacts 4, answered 3 (completion 75.0%); attempts per contact 2.00

            """))
        let json = ReportJSONFormatter.format(s, files: 1, malformed: 0)
        #expect(json.contains(#""campaigns":[{"campaign":"run.journal","calls":8,"answered":3,"human":1,"machine":1,"contacts":4,"contactsAnswered":3}]"#))
    }

    @Test func html() {
        let html = ReportHTMLFormatter.format(CallStatistics(Self.records), files: 1, malformed: 0)
        #expect(html.contains("<section><h2>Campaigns</h2><table><thead><tr><th>Campaign</th>"))
        #expect(html.contains("<tr><td>run.journal</td><td class=\"n\">8</td><td class=\"n\">3</td><td class=\"n\">37.5%</td>"))
    }

    @Test func recordsOfNoCampaignHaveNoSection() {
        let s = CallStatistics([Self.records.last!])
        #expect(s.campaigns.isEmpty)
        #expect(!ReportJSONFormatter.format(s, files: 1, malformed: 0).contains("campaigns"))
        #expect(!ReportTextFormatter.format(s, files: 1, malformed: 0).contains("Campaign"))
        #expect(!ReportHTMLFormatter.format(s, files: 1, malformed: 0).contains("Campaigns"))
    }

    @Test func theFieldsRoundTrip() throws {
        let line = Self.records[3].jsonLine()
        #expect(line.contains(#""answeredBy":"machine""#) && line.contains(#""attempt":3"#) && line.contains(#""campaign":"run.journal""#)
                && line.contains(#""contact":3"#))
        #expect(CallRecord.parse(line: line) == Self.records[3])
    }
}
