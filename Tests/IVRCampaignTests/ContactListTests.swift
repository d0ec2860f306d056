import Foundation
import Testing
@testable import IVRCampaign

@Suite struct ContactListTests {
    func parse(_ text: String) -> Result<ContactList, ContactList.Failure> {
        ContactList.parse(Array(text.utf8), file: "contacts.csv")
    }

    @Test func quotedFieldsCommasAndLineBreaks() throws {
        let text = "number,first_name,note\r\n+15550100001,\"Ann, Jr.\",\"two\nlines\"\r\n+15550100002,Bob,\"say \"\"hi\"\"\"\n"
        let list = try parse(text).get()
        #expect(list.invalid == [])
        #expect(list.contacts.map(\.line) == [2, 4], "a record starts on the line of its first field")
        #expect(list.contacts[0].columns["first_name"] == "Ann, Jr.")
        #expect(list.contacts[0].columns["note"] == "two\nlines")
        #expect(list.contacts[1].columns["note"] == "say \"hi\"")
    }

    @Test func invalidRowsAreReportedByLineAndSkipped() throws {
        let text = """
            number,first_name,timezone
            +15550100001,Ann,America/New_York
            555-0100,Bob,
            +15550100003,Cy
            +15550100004,Di,Mars/Olympus
            +15550100001,Ann again,

            +15550100006,"Ed,
            """
        let list = try parse(text).get()
        #expect(list.contacts.map(\.number) == ["+15550100001"])
        #expect(list.contacts[0].timezone?.identifier == "America/New_York")
        #expect(list.invalid.map(\.line) == [3, 4, 5, 6, 8])
        #expect(list.invalid[0].reason == "number '555-0100' is not E.164 (+ and 8-15 digits)")
        #expect(list.invalid[1].reason == "2 fields, the header has 3")
        #expect(list.invalid[2].reason == "time zone 'Mars/Olympus' is not an IANA time zone name")
        #expect(list.invalid[3].reason == "number +15550100001 is already on line 2")
        #expect(list.invalid[4].reason == "a quoted field is never closed")
    }

    @Test func headerWithoutNumberIsRefused() {
        guard case .failure(let f) = parse("phone,name\n+15550100001,Ann\n") else { Issue.record("accepted"); return }
        #expect(f.description == "contacts.csv:1: the header has no 'number' column (columns: phone, name)")
    }

    @Test func missingInputColumnIsNamedWithTheFile() throws {
        let list = try parse("number,first_name\n+15550100001,Ann\n").get()
        #expect(list.check(inputs: ["first_name"], flow: "reminder") == nil)
        let failure = list.check(inputs: ["first_name", "appointment"], flow: "reminder")
        #expect(failure?.description == "contacts.csv has no column 'appointment', which flow 'reminder' lists in inputs")
    }

    @Test func e164() {
        #expect(PhoneNumber.isE164("+15550100"))
        #expect(PhoneNumber.isE164("+123456789012345"))
        #expect(!PhoneNumber.isE164("+1234567"))
        #expect(!PhoneNumber.isE164("+1234567890123456"))
        #expect(!PhoneNumber.isE164("15550100123"))
        #expect(!PhoneNumber.isE164("+1555 0100"))
    }

    @Test func rates() {
        #expect(CallRate(parsing: "2/s")?.perSecond == 2)
        #expect(CallRate(parsing: "0.5/s")?.interval == 2)
        #expect(CallRate(parsing: "30/m")?.perSecond == 0.5)
        #expect(CallRate(parsing: "2") == nil)
        #expect(CallRate(parsing: "0/s") == nil)
        #expect(CallRate(parsing: "-1/s") == nil)
    }
}
