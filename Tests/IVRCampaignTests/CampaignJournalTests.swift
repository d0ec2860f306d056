import Foundation
import IVRTestSupport
import Testing
@testable import IVRCampaign

@Suite struct CampaignJournalTests {
    @Test func secondOpenIsRefusedWhileTheFirstHoldsTheLock() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.file("run.journal")
        let first = try CampaignJournal.open(file: file).get()
        guard case .failure(let f) = CampaignJournal.open(file: file) else {
            Issue.record("a second open of a locked journal succeeded")
            return
        }
        #expect(f == .locked(file: file))
        first.close()
        let again = try CampaignJournal.open(file: file).get()
        again.close()
    }

    @Test func linesAreReadBackAndATornLastLineIsIgnored() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.file("run.journal")
        let journal = try CampaignJournal.open(file: file).get()
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        journal.append(JournalEntry(at: at, contact: 2, number: "+15550100001", attempt: 1, event: .dialling, callId: "a"))
        journal.append(JournalEntry(at: at, contact: 2, number: "+15550100001", attempt: 1, event: .result, result: .busy,
                                    final: false, callId: "a", detail: "486 Busy Here"))
        journal.close()
        // A crash in the middle of a write.
        let handle = try #require(FileHandle(forWritingAtPath: file))
        handle.seekToEndOfFile()
        handle.write(Data("{\"at\":\"2027".utf8))
        try handle.close()
        let reopened = try CampaignJournal.open(file: file).get()
        #expect(reopened.existing.count == 2)
        #expect(reopened.existing[1].result == .busy)
        #expect(reopened.existing[1].final == false)
        reopened.append(JournalEntry(at: at, contact: 2, number: "+15550100001", attempt: 2, event: .dialling, callId: "b"))
        reopened.close()
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        #expect(JournalEntry.parse(lines[3])?.attempt == 2, "the next line starts on a line of its own after a torn one")
        #expect(lines[0] == #"{"at":"2027-01-15T08:00:00.000Z","attempt":1,"callId":"a","contact":2,"event":"dialling","number":"+15550100001"}"#)
    }

    /// Resuming: a dial with no result counts as an attempt; it is closed
    /// as failed (retried after retry-after from the dial) or, when the
    /// callee had answered, as answered (final).
    @Test func interruptedCallsCountAsAttempts() throws {
        let list = try ContactList.parse(Array("number\n+15550100001\n+15550100002\n+15550100003\n+15550100004\n".utf8), file: "c.csv").get()
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        let entries = [
            // line 2: busy, then a dial in flight at the crash
            JournalEntry(at: t, contact: 2, number: "+15550100001", attempt: 1, event: .dialling),
            JournalEntry(at: t + 1, contact: 2, number: "+15550100001", attempt: 1, event: .result, result: .busy, final: false),
            JournalEntry(at: t + 60, contact: 2, number: "+15550100001", attempt: 2, event: .dialling),
            // line 3: answered, then the crash during the flow
            JournalEntry(at: t, contact: 3, number: "+15550100002", attempt: 1, event: .dialling),
            JournalEntry(at: t + 2, contact: 3, number: "+15550100002", attempt: 1, event: .answered),
            // line 4: its last attempt in flight
            JournalEntry(at: t, contact: 4, number: "+15550100003", attempt: 3, event: .dialling),
        ]
        var settings = CampaignSettings()
        settings.retryAfter = 600
        let resume = try CampaignResume.replay(entries, contacts: list, settings: settings, at: t + 100).get()
        #expect(resume.states.map(\.attempts) == [2, 1, 3, 0])
        #expect(resume.states.map(\.final) == [nil, .answered, .failed, nil])
        #expect(resume.states[0].notBefore == t + 660, "retried retry-after after the interrupted dial")
        #expect(resume.closingLines.map(\.contact) == [2, 3, 4])
        #expect(resume.closingLines.map(\.final) == [false, true, true])
        #expect(resume.counts.dialled == 4)
        #expect(resume.counts.completed == 2)
    }

    @Test func aJournalOfAnotherListIsRefused() throws {
        let list = try ContactList.parse(Array("number\n+15550100009\n".utf8), file: "c.csv").get()
        let entries = [JournalEntry(at: Date(), contact: 2, number: "+15550100001", attempt: 1, event: .dialling)]
        guard case .failure(let mismatch) = CampaignResume.replay(entries, contacts: list, settings: CampaignSettings(), at: Date()) else {
            Issue.record("resumed another list's journal")
            return
        }
        #expect(mismatch.description.hasPrefix("the journal has +15550100001 for line 2 of the contacts file, which now has +15550100009 there"))
    }
}
