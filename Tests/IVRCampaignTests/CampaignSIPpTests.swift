import Foundation
import IVRCampaign
import IVRSIP
import IVRTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `ivrc campaign` against real callees: SIPp answers (silent, as a person,
/// as a machine), is busy, never answers or declines, by the number's last
/// digit. Every contact must end in the state its callee's behaviour gives,
/// with the right number of dials, and `answered_by` right for at least 95%
/// of the people and machines; every person the flow asked pressed 1 and
/// the flow took that option; every machine recorded the message whole,
/// begun after its beep had ended; SIGKILLed three times and resumed, no
/// contact is dialled more than its attempts and none is skipped (the
/// journal and SIPp's own log agree); the pacing holds.
@Suite(.serialized, .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")))
struct CampaignSIPpTests {
    /// People are asked to press 1; machines get `message.wav` after the beep.
    static let flow = """
        ivr: reminder
        inputs: [first_name]
        nodes:
          hello:
            - branch:
                - if: answered_by == "machine"
                  then: voicemail
                - if: answered_by == "human"
                  then: ask
                - else: nobody
          ask:
            menu:
              prompt: {say: "Hello ${first_name}. Press 1 to confirm your appointment."}
              options:
                "1": confirmed
              timeout: 10s
              attempts: 1
              on-invalid: {say: "Please press 1."}
              on-exhausted: unconfirmed
          confirmed:
            - say: "Thank you, your appointment is confirmed."
            - hangup
          unconfirmed: hangup
          voicemail:
            - wait: {for: beep, timeout: 30s}
            - play: message.wav
            - hangup
          nobody: hangup

        """

    /// The message left on machines: a tone no other sound of the call has
    /// (`--tts none` says with 440 Hz, the beep is 1 kHz), with whole
    /// cycles in a 20 ms frame, lasting 75 frames.
    static let messageHz = 700.0
    static let messageSeconds = 1.5
    static var message: [Int16] {
        (0..<Int(messageSeconds * 8000)).map { Int16(8000 * sin(2 * Double.pi * messageHz * Double($0) / 8000)) }
    }

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

    /// The flow and the message it plays.
    static func writeProject(_ folder: TemporaryFolder) throws {
        try folder.write("reminder.yaml", flow)
        try Data(WAVFile.encode(message)).write(to: URL(fileURLWithPath: folder.file("message.wav")))
    }

    /// A project, a contacts file (plus one invalid row and one number on the do-not-call list) and SIPp.
    static func setup(contacts count: Int, rate: String) async throws -> Setup {
        let folder = try TemporaryFolder()
        try writeProject(folder)
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
            "--tts", "none", "--rtp-ports", "30000-30998",
            // This suite's own ports: clear of the default range, the other campaign suites'
            // 20002-21998 (they run beside this one, and a callee of theirs may still be
            // sending to a port they let go), SIPpRun's 22000-29999 and the harnesses' 31000-38999.
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

    /// 200 contacts, 34 or 33 of each behaviour, at 8 calls a second.
    @Test func mixedContactsEndInTheRightStateAtTheRate() async throws {
        let binary = try #require(Self.ivrcBinary, "build the ivrc executable first (swift build)")
        let s = try await Self.setup(contacts: 200, rate: "8/s")
        defer { s.callee.stop(); s.folder.remove() }
        let began = ContinuousClock.now
        let run = try await runProcess(binary, s.arguments)
        let took = ContinuousClock.now - began
        #expect(run.status == 0, "\(run.stderr)\n\(run.stdout.suffix(2000))")
        let entries = Self.journal(s.journal)
        Self.checkInvariants(s, entries)
        let invites = s.callee.invites()
        var count: [Behaviour: Int] = [:]
        for person in s.people {
            count[person.behaviour, default: 0] += 1
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
        var right: [Behaviour: Int] = [:]
        for person in s.people where person.behaviour == .person || person.behaviour == .machine {
            let said = entries.last { $0.number == person.number && $0.final == true }?.answeredBy
            if said == (person.behaviour == .person ? "human" : "machine") { right[person.behaviour, default: 0] += 1 }
        }
        let judged = count[.person, default: 0] + count[.machine, default: 0]
        let correct = right[.person, default: 0] + right[.machine, default: 0]
        #expect(Double(correct) >= 0.95 * Double(judged), "answered_by right for \(correct) of \(judged)")
        let silent = Set(s.people.filter { $0.behaviour == .answers }.map(\.number))
        #expect(entries.filter { $0.final == true && silent.contains($0.number) }.allSatisfy { $0.answeredBy == "unknown" },
                "a callee that sends no audio is unknown")
        // Pacing: while contacts wait for their first call (retries go
        // first when due), starts follow the rate.
        let dialling = entries.filter { $0.event == .dialling }
        let starts = dialling.compactMap(\.date).sorted()
        let lastFirst = try #require(dialling.filter { $0.attempt == 1 }.compactMap(\.date).max())
        let paced = starts.filter { $0 <= lastFirst }
        let rate = Double(paced.count - 1) / lastFirst.timeIntervalSince(starts[0])
        #expect(abs(rate - 8) <= 0.8, "\(paced.count) calls at \(rate)/s, not 8/s within 10%")
        // Records carry the campaign fields.
        let records = try String(contentsOfFile: s.folder.file("calls.jsonl"), encoding: .utf8).split(separator: "\n")
            .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.count == starts.count, "one record per call")
        let answered = count[.answers, default: 0] + judged
        #expect(records.allSatisfy { $0["answeredBy"] is String }, "every campaign record says who answered")
        #expect(records.count { $0["answer"] != nil } == answered)
        #expect(records.allSatisfy { $0["campaign"] as? String == "run.journal" && $0["attempt"] is Int && $0["contact"] is Int })
        let pressed = Self.checkPeoplePressedOne(s, records)
        let delays = Self.checkMessagesWhole(s, judgedMachines: right[.machine, default: 0])
        // The summary.
        let summary = try #require(run.stdout.split(separator: "\n").last)
        #expect(summary.contains("\"event\":\"summary\"") && summary.contains("\"complete\":true"), "\(summary)")
        #expect(summary.contains("\"answered\":\(answered)") && summary.contains("\"busy\":\(3 * count[.busy, default: 0])")
                && summary.contains("\"declined\":\(count[.declines, default: 0])"), "\(summary)")
        print("""
            campaign of \(s.people.count) contacts: \(starts.count) calls in \(took); \
            answered_by right for \(right[.person, default: 0]) of \(count[.person, default: 0]) people, \
            \(right[.machine, default: 0]) of \(count[.machine, default: 0]) machines; \
            \(paced.count) starts at \(String(format: "%.2f", rate))/s; \(pressed) people pressed 1 and were confirmed; \
            messages began \(delays.map { String(format: "%.0f", $0 * 1000) }.joined(separator: " ")) ms after the beep's end
            """)
        // Rerun: everything is final, nothing is dialled.
        let again = try await runProcess(binary, s.arguments)
        #expect(again.status == 0)
        #expect(Self.journal(s.journal).count == entries.count, "a finished campaign dials no one again")
    }

    /// Every person the flow took for a person was asked to press 1, SIPp
    /// pressed it (RFC 4733), and the flow took that option: the record's
    /// path and inputs say so. Returns how many.
    static func checkPeoplePressedOne(_ s: Setup, _ records: [[String: Any]]) -> Int {
        var confirmed = 0
        for person in s.people where person.behaviour == .person {
            let mine = records.filter { ($0["to"] as? String)?.hasPrefix("sip:\(person.number)@") == true }
            guard let record = mine.last, record["answeredBy"] as? String == "human" else { continue }
            let path = record["path"] as? [String] ?? []
            let inputs = record["inputs"] as? [[String: Any]] ?? []
            #expect(path == ["hello", "ask", "confirmed"], "\(person.number): path \(path)")
            let choice = inputs.first
            #expect(inputs.count == 1 && choice?["node"] as? String == "ask" && choice?["digits"] as? String == "1"
                    && choice?["kind"] as? String == "menu" && choice?["invalid"] == nil, "\(person.number): inputs \(inputs)")
            #expect(record["outcome"] as? String == "hangup", "\(person.number): \(record)")
            if path.last == "confirmed" { confirmed += 1 }
        }
        return confirmed
    }

    /// Every machine call recorded the message whole: the tone in every
    /// frame for its 1.5 s (within a 20 ms frame), nothing missing or
    /// other in between, and its first frame arrived after the beep's last
    /// had been played, in the callee's time base. As many calls as
    /// machines taken for machines. Returns, per call, how long after the
    /// beep's end the message arrived.
    static func checkMessagesWhole(_ s: Setup, judgedMachines: Int) -> [Double] {
        let calls = s.callee.machines.snapshot()
        var delays: [Double] = []
        let frames = Int(messageSeconds * 50)
        for call in calls {
            let message = RecordedMessage(call, hz: messageHz)
            guard message.toneFrames > 0 else { continue }
            let name = "machine call from \(call.source) (its greeting's packets up to \(Int(call.latest * 1000)) ms late)"
            #expect((frames - 1...frames + 1).contains(message.spanFrames), "\(name): the message lasted \(message.spanFrames) frames, not \(frames)")
            #expect(message.otherFrames == 0 && message.missingFrames == 0,
                    "\(name): \(message.otherFrames) frames without the tone and \(message.missingFrames) missing in the message")
            guard let beepEnded = call.beepEnded, let first = message.firstArrival else {
                Issue.record("\(name): the message came before the beep was sent")
                continue
            }
            #expect(first >= beepEnded, "\(name): the message arrived \(beepEnded - first) s before the beep had ended")
            delays.append(first - beepEnded)
        }
        #expect(delays.count == judgedMachines, "\(delays.count) messages recorded for \(judgedMachines) machines (\(calls.count) machine calls)")
        return delays.sorted()
    }

    /// A column the flow's `inputs` need is missing: exit 1 before anything
    /// is dialled (no journal is even created), naming the column and the file.
    @Test func aMissingInputColumnIsRefusedBeforeDialling() async throws {
        let binary = try #require(Self.ivrcBinary, "build the ivrc executable first (swift build)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try Self.writeProject(folder)
        try folder.write("contacts.csv", "number,name\n+15550100001,Ann\n")
        let run = try await runProcess(binary, [
            "campaign", folder.file("reminder.yaml"), "--flow", "reminder", "--contacts", folder.file("contacts.csv"),
            "--journal", folder.file("run.journal"), "--trunk", "127.0.0.1:9", "--tts", "none",
        ])
        #expect(run.status == 1)
        #expect(run.stderr == "error: \(folder.file("contacts.csv")) has no column 'first_name', which flow 'reminder' lists in inputs\n")
        #expect(!FileManager.default.fileExists(atPath: folder.file("run.journal")))
    }

    /// 200 contacts at 10 calls a second, killed after 1-6 s three times.
    @Test func sigkillThreeTimesThenResume() async throws {
        let binary = try #require(Self.ivrcBinary, "build the ivrc executable first (swift build)")
        let s = try await Self.setup(contacts: 200, rate: "10/s")
        defer { s.callee.stop(); s.folder.remove() }
        var random = SeededGenerator(seed: 18)
        // Each run its own quarter of the RTP ports: a run never takes a port
        // a killed run's machine may still be talking to.
        func ports(_ run: Int) -> [String] {
            s.arguments.map { $0 == "30000-30998" ? "\(30_000 + 250 * run)-\(30_248 + 250 * run)" : $0 }
        }
        for round in 0..<3 {
            let pid = try SpawnedServer.spawn([binary] + ports(round), log: s.folder.file("campaign-\(round).log"))
            if round == 0 {
                // A second campaign on the same journal is refused while the first runs.
                for _ in 0..<200 where Self.journal(s.journal).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                let second = try await runProcess(binary, s.arguments)
                #expect(second.status == 2, "\(second.stderr)")
                #expect(second.stderr.contains("is in use by another ivrc campaign"), "\(second.stderr)")
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 1_000...6_000, using: &random)))
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        let final = try await runProcess(binary, ports(3))
        #expect(final.status == 0, "\(final.stderr)\n\(final.stdout.suffix(2000))")
        let entries = Self.journal(s.journal)
        Self.checkInvariants(s, entries)
        let interrupted = entries.filter { $0.detail?.hasPrefix("interrupted") == true }
        #expect(!interrupted.isEmpty, "no call was in flight at any of the kills: the test proved nothing")
        let dialled = entries.filter { $0.event == .dialling }
        print("""
            campaign of \(s.people.count) contacts killed 3 times: \(dialled.count) dials, \(interrupted.count) calls in flight at the kills, \
            at most \(Dictionary(grouping: dialled, by: \.number).values.map(\.count).max() ?? 0) dials for a contact
            """)
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
