import Foundation
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRCampaign

/// `--window`: the flow's schedule, evaluated in each contact's time zone.
@Suite struct CampaignWindowTests {
    static let flow = """
        ivr: reminder
        hours:
          calling:
            timezone: America/New_York
            mon-fri: "09:00-17:00"
        nodes:
          hello:
            - branch:
                - if: 'open("calling")'
                  then: hangup
            - hangup

        """

    static func window() throws -> CampaignWindow? {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("reminder.yaml", flow)
        let built = try FlowBuild.build(paths: [folder.path], currentDirectory: "/").get()
        #expect(CampaignWindow(name: "lunch", flow: 0, bundle: built.bundle) == nil)
        #expect(CampaignWindow.names(flow: 0, bundle: built.bundle) == ["calling"])
        return CampaignWindow(name: "calling", flow: 0, bundle: built.bundle)
    }

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func openInTheContactsTimeZone() throws {
        let window = try #require(try Self.window())
        let zone = { (name: String) in TimeZone(identifier: name) }
        // Monday 15:00 UTC: 10:00 in New York, 15:00 in London, Tuesday 00:00 in Tokyo.
        let monday = Self.utc("2026-12-07T15:00:00Z")
        #expect(window.isOpen(at: monday, in: nil), "no timezone column: the schedule's own")
        #expect(window.isOpen(at: monday, in: zone("Europe/London")))
        #expect(!window.isOpen(at: monday, in: zone("Asia/Tokyo")))
        // Monday 23:00 UTC: 18:00 in New York, 15:00 in Los Angeles.
        let evening = Self.utc("2026-12-07T23:00:00Z")
        #expect(!window.isOpen(at: evening, in: nil))
        #expect(window.isOpen(at: evening, in: zone("America/Los_Angeles")))
        // Saturday: closed everywhere, but it opens within the horizon.
        let saturday = Self.utc("2026-12-12T15:00:00Z")
        #expect(!window.isOpen(at: saturday, in: zone("Europe/London")))
        #expect(window.opens(after: saturday, in: zone("Europe/London")))
    }
}
