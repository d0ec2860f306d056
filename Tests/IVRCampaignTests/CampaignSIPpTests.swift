import Foundation
import IVRCampaign
import IVRTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `ivrc campaign` against real callees: SIPp answers (silent, as a person,
/// as a machine), is busy, never answers or declines, by the number's last
/// digit. Every contact must end in the state its callee's behaviour gives,
/// with the right number of dials, and `answered_by` right for at least 95%
/// of the people and machines; SIGKILLed three times and resumed, no contact is dialled more
/// than its attempts and none is skipped (the journal and SIPp's own log
/// agree); the pacing holds.
@Suite(.serialized, .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")))
struct CampaignSIPpTests {
    static let flow = """
        ivr: reminder
        inputs: [first_name]
        nodes:
          hello:
            - say: "Hello ${first_name}."
            - hangup

        """

    enum Behaviour: Int, CaseIterable { case answers = 1, busy, noAnswer, declines, person, machine }

    /// `count` contacts, behaviours in turn; the number's last digit is the behaviour.
    static func contacts(_ count: Int) -> [(number: String, behaviour: Behaviour)] {
        (0..<count).map { i in
            let b = Behaviour.allCases[i % Behaviour.allCases.count]
            return (String(format: "+1555%05d%d", i, b.rawValue), b)
        }
    }

    static var ivrcBinary: String? {
        let sibling = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent().appendingPathComponent("ivrc").path
        return [sibling, TestTools.repositoryRoot + "/.build/debug/ivrc"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Setup {
        var folder: TemporaryFolder
        var callee: CampaignCallee
        var people: [(number: String, behaviour: Behaviour)]
        var arguments: [String]
        var journal: String { folder.file("run.journal") }
    }

    /// A project, a contacts file (plus one invalid row and one number on the do-not-call list) and SIPp.
    static func setup(contacts count: Int, rate: String) async throws -> Setup {
        let folder = try TemporaryFolder()
        try folder.write("reminder.yaml", flow)
        let people = contacts(count)
        var csv = "number,first_name\n" + people.enumerated().map { "\($1.number),Person \($0)" }.joined(separator: "\n") + "\n"
        csv += "555-0100,Bad Row\n+15559999991,Never Call\n"
        try folder.write("contacts.csv", csv)
        try folder.write("dnc.txt", "# do not call\n+15559999991\n")
        let callee = try CampaignCallee(folder: folder.path)
        #expect(await callee.listening(), "SIPp did not start")
        let arguments = [
            "campaign", folder.file("reminder.yaml"), "--flow", "reminder", "--contacts", folder.file("contacts.csv"),
            "--journal", folder.file("run.journal"), "--trunk", "127.0.0.1:\(callee.port)", "--rate", rate,
            "--max-concurrent", "40", "--attempts", "3", "--retry-after", "1s", "--ring-timeout", "1s",
            "--do-not-call", folder.file("dnc.txt"), "--records", folder.file("calls.jsonl"), "--progress", "json",
            "--tts", "none", "--rtp-ports", "20002-21998",  // clear of the default range, the harnesses' 31000-38999 and SIPpRun's 22000-29999
        ]
        return Setup(folder: folder, callee: callee, people: people, arguments: arguments)
    }

    static func journal(_ file: String) -> [JournalEntry] {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").compactMap(JournalEntry.parse)
    }

    /// Every contact has exactly one final line; dials per contact at most 3;
    /// SIPp saw no more INVITEs for a number than the journal's dials.
    static func checkInvariants(_ s: Setup, _ entries: [JournalEntry], file: String = #fileID, line: Int = #line) {
        var finals: [String: [JournalEntry]] = [:]
        var dials: [String: Int] = [:]
        for e in entries {
            if e.event == .result, e.final == true { finals[e.number, default: []].append(e) }
            if e.event == .dialling { dials[e.number, default: 0] += 1 }
        }
        let invites = s.callee.invites()
        #expect(!invites.isEmpty, "no INVITE in SIPp's log: \(s.callee.messages.prefix(600))\n\((try? FileManager.default.contentsOfDirectory(atPath: s.folder.path)) ?? [])")
        for person in s.people {
            #expect(finals[person.number]?.count == 1, "\(person.number): final lines \(finals[person.number] ?? [])")
            #expect((dials[person.number] ?? 0) <= 3, "\(person.number) dialled \(dials[person.number] ?? 0) times")
            #expect((invites[person.number] ?? 0) <= (dials[person.number] ?? 0),
                    "\(person.number): SIPp got \(invites[person.number] ?? 0) INVITEs, the journal has \(dials[person.number] ?? 0) dials")
            #expect((invites[person.number] ?? 0) >= 1, "\(person.number) was never called")
        }
        #expect(finals["555-0100"]?.first?.result == .invalid)
        #expect(finals["+15559999991"]?.first?.result == .doNotCall)
        #expect(invites["+15559999991"] == nil, "the do-not-call number was dialled")
    }

    @Test func mixedContactsEndInTheRightStateAtTheRate() async throws {
        let binary = try #require(Self.ivrcBinary, "build the ivrc executable first (swift build)")
        let s = try await Self.setup(contacts: 60, rate: "8/s")
        defer { s.callee.stop(); s.folder.remove() }
        let run = try await runProcess(binary, s.arguments)
        #expect(run.status == 0, "\(run.stderr)\n\(run.stdout.suffix(2000))")
        let entries = Self.journal(s.journal)
        Self.checkInvariants(s, entries)
        let invites = s.callee.invites()
        for person in s.people {
            let mine = entries.filter { $0.number == person.number }
            let final = mine.last { $0.final == true }
            let dials = mine.count { $0.event == .dialling }
            let (result, attempts): (CallResult, Int) = switch person.behaviour {
            case .answers, .person, .machine: (.answered, 1)
            case .busy: (.busy, 3)
            case .noAnswer: (.noAnswer, 3)
            case .declines: (.declined, 1)
            }
            #expect(final?.result == result, "\(person.number) (\(person.behaviour)): \(mine.map(\.jsonLine))")
            #expect(dials == attempts, "\(person.number) (\(person.behaviour)) dialled \(dials) times")
            #expect(invites[person.number] == attempts, "\(person.number): SIPp got \(invites[person.number] ?? 0) INVITEs")
        }
        // Answering-machine detection: at least 95% of the people and machines right.
        var right = 0, judged = 0
        for person in s.people where person.behaviour == .person || person.behaviour == .machine {
            let said = entries.last { $0.number == person.number && $0.final == true }?.answeredBy
            judged += 1
            if said == (person.behaviour == .person ? "human" : "machine") { right += 1 }
        }
        #expect(Double(right) >= 0.95 * Double(judged), "answered_by right for \(right) of \(judged)")
        let silent = Set(s.people.filter { $0.behaviour == .answers }.map(\.number))
        #expect(entries.filter { $0.final == true && silent.contains($0.number) }.allSatisfy { $0.answeredBy == "unknown" },
                "a callee that sends no audio is unknown")
        // Pacing: while contacts are waiting, starts follow the rate.
        let starts = entries.filter { $0.event == .dialling }.compactMap(\.date).sorted()
        let firstWave = try #require(starts.prefix(40).last)
        let span = firstWave.timeIntervalSince(starts[0])
        let rate = Double(39) / span
        #expect(abs(rate - 8) <= 0.8, "first 40 calls at \(rate)/s, not 8/s within 10%")
        // Records carry the campaign fields.
        let records = try String(contentsOfFile: s.folder.file("calls.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(records.count == starts.count, "one record per call")
        let answered = records.filter { $0.contains("\"answer\":\"") }
        #expect(records.allSatisfy { $0.contains("\"answeredBy\":\"") }, "every campaign record says who answered")
        #expect(answered.count == 30)
        #expect(records.allSatisfy { $0.contains("\"campaign\":\"run.journal\"") && $0.contains("\"attempt\":") && $0.contains("\"contact\":") })
        // The summary.
        let summary = try #require(run.stdout.split(separator: "\n").last)
        #expect(summary.contains("\"event\":\"summary\"") && summary.contains("\"complete\":true"), "\(summary)")
        #expect(summary.contains("\"answered\":30") && summary.contains("\"busy\":30") && summary.contains("\"declined\":10"), "\(summary)")
        // Rerun: everything is final, nothing is dialled.
        let again = try await runProcess(binary, s.arguments)
        #expect(again.status == 0)
        #expect(Self.journal(s.journal).count == entries.count, "a finished campaign dials no one again")
    }

    /// A column the flow's `inputs` need is missing: exit 1 before anything
    /// is dialled (no journal is even created), naming the column and the file.
    @Test func aMissingInputColumnIsRefusedBeforeDialling() async throws {
        let binary = try #require(Self.ivrcBinary, "build the ivrc executable first (swift build)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("reminder.yaml", Self.flow)
        try folder.write("contacts.csv", "number,name\n+15550100001,Ann\n")
        let run = try await runProcess(binary, [
            "campaign", folder.file("reminder.yaml"), "--flow", "reminder", "--contacts", folder.file("contacts.csv"),
            "--journal", folder.file("run.journal"), "--trunk", "127.0.0.1:9", "--tts", "none",
        ])
        #expect(run.status == 1)
        #expect(run.stderr == "error: \(folder.file("contacts.csv")) has no column 'first_name', which flow 'reminder' lists in inputs\n")
        #expect(!FileManager.default.fileExists(atPath: folder.file("run.journal")))
    }

    @Test func sigkillThreeTimesThenResume() async throws {
        let binary = try #require(Self.ivrcBinary, "build the ivrc executable first (swift build)")
        let s = try await Self.setup(contacts: 60, rate: "10/s")
        defer { s.callee.stop(); s.folder.remove() }
        var random = SeededGenerator(seed: 18)
        for round in 0..<3 {
            let pid = try SpawnedServer.spawn([binary] + s.arguments, log: s.folder.file("campaign-\(round).log"))
            if round == 0 {
                // A second campaign on the same journal is refused while the first runs.
                for _ in 0..<200 where Self.journal(s.journal).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                let second = try await runProcess(binary, s.arguments)
                #expect(second.status == 2, "\(second.stderr)")
                #expect(second.stderr.contains("is in use by another ivrc campaign"), "\(second.stderr)")
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 600...2500, using: &random)))
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        let final = try await runProcess(binary, s.arguments)
        #expect(final.status == 0, "\(final.stderr)\n\(final.stdout.suffix(2000))")
        let entries = Self.journal(s.journal)
        Self.checkInvariants(s, entries)
        let interrupted = entries.filter { $0.detail?.hasPrefix("interrupted") == true }
        #expect(!interrupted.isEmpty, "no call was in flight at any of the kills: the test proved nothing")
        let invites = s.callee.invites()
        for person in s.people {
            let mine = entries.filter { $0.number == person.number }
            let final = mine.last { $0.final == true }
            let dials = mine.count { $0.event == .dialling }
            let lost = interrupted.count { $0.number == person.number }
            // A kill between the journal's dialling line and the INVITE loses at most that INVITE.
            #expect((invites[person.number] ?? 0) >= dials - lost, "\(person.number): \(mine.map(\.jsonLine))")
            switch person.behaviour {
            case .answers, .person, .machine: #expect(final?.result == .answered, "\(mine.map(\.jsonLine))")
            case .declines: #expect(final?.result == .declined || (final?.result == .failed && dials == 3), "\(mine.map(\.jsonLine))")
            case .busy, .noAnswer:
                #expect(dials == 3, "\(person.number) (\(person.behaviour)) dialled \(dials) times: \(mine.map(\.jsonLine))")
            }
        }
    }
}
