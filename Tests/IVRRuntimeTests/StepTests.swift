import Foundation
import Testing
@testable import IVRRuntime

@Suite struct StepTests {
    @Test func setAndInterpolation() async throws {
        let r = try await Harness.run("""
        ivr: s
        language: en-GB
        nodes:
          a:
            - set: {greeting: "Hello ${caller}", full: "${greeting} in ${language}, flow ${flow}"}
            - say: "${full}."
            - hangup
        """)
        #expect(r.trace.first == "say:Hello +15550100 in en-GB, flow s.")
        #expect(r.variableMap["full"] == "Hello +15550100 in en-GB, flow s")
    }

    static let branching = """
    ivr: b
    hours:
      office:
        timezone: America/New_York
        mon-fri: "09:00-17:00"
        closed: ["2026-12-25"]
    nodes:
      a:
        - capture: {into: n, max: 4, min: 1}
        - branch:
            - if: n == 7
              then: {say: "seven"}
            - if: num(n) > 100 and open("office")
              then: {say: "big and open"}
            - if: len(n) == 3 or starts_with(n, "9")
              then: {say: "three or nine"}
            - else: {say: "other"}
        - say: "after"
        - hangup
    """

    @Test(arguments: [
        ("7#", "2026-11-23T10:00:00-05:00", "seven"),
        ("007#", "2026-11-23T10:00:00-05:00", "seven"),
        ("500#", "2026-11-23T10:00:00-05:00", "big and open"),
        ("500#", "2026-11-23T18:00:00-05:00", "three or nine"),
        ("500#", "2026-11-22T10:00:00-05:00", "three or nine"),
        ("500#", "2026-12-25T10:00:00-05:00", "three or nine"),
        ("95#", "2026-11-23T10:00:00-05:00", "three or nine"),
        ("12#", "2026-11-23T10:00:00-05:00", "other"),
    ])
    func branchArmsContinueAfterTheBranch(input: String, at: String, expected: String) async throws {
        let date = try #require(CallTime.parse(at))
        let r = try await Harness.run(Self.branching, input: input, at: date)
        #expect(r.trace.suffix(3) == ["say:\(expected)", "say:after", "hangup"])
    }

    static let webhook = """
    ivr: w
    nodes:
      a:
        - capture: {into: account, max: 6, min: 6}
        - webhook:
            url: https://api.example/accounts/${account}?q=${caller}
            into: customer
            on-error: {say: "Lookup failed."}
        - say: "Tier ${customer.tier}, ${customer.name.first}."
        - hangup
    """

    @Test func cannedWebhookFillsFields() async throws {
        let r = try await Harness.run(Self.webhook, input: "123456",
                                      webhooks: [("https://api.example/accounts/", 200, #"{"tier":"gold","name":{"first":"Ann"}}"#)])
        #expect(r.trace.contains("webhook:https://api.example/accounts/123456?q=%2B15550100:200"))
        #expect(r.trace.contains("say:Tier gold, Ann."))
    }

    /// A canned prefix may spell the URL as it reads (`+1555...`) or as it
    /// is sent (`%2B1555...`).
    @Test func cannedPrefixMatchesTheURLDecodedToo() async throws {
        for prefix in ["https://api.example/accounts/123456?q=+1555", "https://api.example/accounts/123456?q=%2B1555"] {
            let r = try await Harness.run(Self.webhook, input: "123456", webhooks: [(prefix, 200, #"{"tier":"gold","name":{"first":"Ann"}}"#)])
            #expect(r.trace.contains("say:Tier gold, Ann."), "\(prefix)")
        }
    }

    @Test func missingCannedResponseTakesOnErrorAndSaysWhy() async throws {
        let r = try await Harness.run(Self.webhook, input: "123456")
        #expect(r.trace.suffix(2) == ["say:Lookup failed.", "hangup"])
        guard case .webhook(_, nil, let reason?) = r.events.first(where: { if case .webhook = $0.kind { true } else { false } })?.kind else {
            Issue.record("no failed webhook event")
            return
        }
        #expect(reason.contains("no canned response"))
        #expect(Transcript.render(r).contains("failed: no canned response"))
    }

    @Test(arguments: [(500, #"{"tier":"gold"}"#), (200, "not json"), (200, "[1,2]")])
    func errorStatusOrBadJSONTakesOnError(status: Int, body: String) async throws {
        let r = try await Harness.run(Self.webhook, input: "123456", webhooks: [("https://api.example/", status, body)])
        #expect(r.trace.contains("say:Lookup failed."))
    }

    @Test func postBodyIsJSONWithEscapedValues() async throws {
        let bundle = try Harness.bundle("""
        ivr: p
        nodes:
          a:
            - set: {note: "say \\"hi\\""}
            - webhook:
                url: https://api.example/notes
                method: POST
                body: {note: "${note}", n: 3, tags: ["a", "${caller}"]}
            - hangup
        """)
        let backend = ScriptedBackend(tokens: [], webhooks: [("https://api.example/", WebhookResponse(status: 204, body: []))])
        let r = await CallDriver.run(bundle, flow: 0, backend: backend, caller: "+1")
        #expect(r.outcome == .hangup)
        #expect(backend.webhookRequests.first?.method == "POST")
        #expect(backend.webhookRequests.first?.body == #"{"note":"say \"hi\"","n":3,"tags":["a","+1"]}"#)
    }

    @Test(arguments: [
        ("number: \"+442071234567\"", "number", "+442071234567"),
        ("extension: \"100\"", "extension", "100"),
        ("sip: \"sip:a@b.example\"", "sip", "sip:a@b.example"),
        ("conference: \"2000\"", "conference", "2000"),
        ("group: sales", "group", "sales"),
        ("app: voicemail", "app", "voicemail"),
    ])
    func transfersOfEveryKind(destination: String, kind: String, value: String) async throws {
        let r = try await Harness.run("ivr: t\nnodes:\n  a:\n    transfer: {\(destination)}\n")
        #expect(r.outcome == .transfer)
        #expect(r.destination?.kind == kind)
        #expect(r.destination?.value == value)
        #expect(r.json.serialized.contains(#""destination":{"kind":"\#(kind)","value":"\#(value)"}"#))
    }

    @Test func failedTransferTakesOnFail() async throws {
        let r = try await Harness.run("""
        ivr: t
        nodes:
          a:
            transfer:
              extension: "100"
              on-fail: {say: "Busy."}
        """, failing: ["100"])
        #expect(r.trace == ["transfer-failed:extension:100", "say:Busy.", "hangup"])
        #expect(r.outcome == .hangup)
    }

    @Test func allowPatternRefusesCallerControlledDestinations() async throws {
        let source = """
        ivr: t
        nodes:
          a:
            - capture: {into: ext, max: 4, min: 1}
            - transfer:
                extension: "${ext}"
                allow: "^1[0-9][0-9]$"
                on-fail: {say: "Not allowed."}
        """
        let denied = try await Harness.run(source, input: "900#")
        #expect(denied.trace.suffix(3) == ["transfer-failed:extension:900", "say:Not allowed.", "hangup"])
        let allowed = try await Harness.run(source, input: "150#")
        #expect(allowed.destination?.value == "150")
        // Anchored at both ends, a longer number holding an allowed one is refused.
        let longer = try await Harness.run(source, input: "9150#")
        #expect(longer.trace.suffix(3) == ["transfer-failed:extension:9150", "say:Not allowed.", "hangup"])
    }

    /// `allow` searches like every regex: unanchored, it passes any
    /// destination that contains a match (why docs/language.md says anchor it).
    @Test func unanchoredAllowSearchesTheDestination() async throws {
        let source = """
        ivr: t
        nodes:
          a:
            - capture: {into: ext, max: 4, min: 1}
            - transfer:
                extension: "${ext}"
                allow: "1[0-9][0-9]"
                on-fail: {say: "Not allowed."}
        """
        let inside = try await Harness.run(source, input: "9150#")
        #expect(inside.destination?.value == "9150")
        let startOnly = try await Harness.run(source.replacingOccurrences(of: "\"1[0-9][0-9]\"", with: "\"^1[0-9][0-9]\""),
                                              input: "1509#")
        #expect(startOnly.destination?.value == "1509")
        let none = try await Harness.run(source, input: "9000#")
        #expect(none.trace.suffix(3) == ["transfer-failed:extension:9000", "say:Not allowed.", "hangup"])
    }

    @Test func ivrTransferContinuesInTheOtherFlowAndBackReturns() async throws {
        let bundle = try Harness.bundle("""
        ivr: main
        nodes:
          menu:
            menu:
              prompt: {say: "Main."}
              options:
                "3": {transfer: {ivr: billing}}
                "1": {transfer: {group: sales}}
        """, """
        ivr: billing
        nodes:
          start:
            menu:
              prompt: {say: "Billing."}
              options:
                "9": back
                "1": {transfer: {number: "+442071234567"}}
        """)
        let r = try await Harness.call(bundle, flow: "main", input: "3 9 1")
        #expect(r.visited == ["menu", "start", "menu"])
        #expect(r.destination?.kind == "group")
        #expect(r.flow == "main")
        let paid = try await Harness.call(bundle, flow: "main", input: "3 1")
        #expect(paid.destination?.value == "+442071234567")
        #expect(paid.visited == ["menu", "start"])
    }

    @Test func recordStoresWhereTheRecordingIs() async throws {
        let r = try await Harness.run("""
        ivr: r
        nodes:
          a:
            - record: {into: message, max: 60s}
            - say: "Saved ${message}."
            - hangup
        """)
        #expect(r.trace == ["record:recording-1.wav", "say:Saved recording-1.wav.", "hangup"])
    }

    /// The scripted caller has no callee audio: a `wait` hears its beep
    /// (or silence) at once, and the event says so.
    @Test func waitForTheCalleeIsHeardAtOnceInSimulation() async throws {
        let r = try await Harness.run("""
        ivr: w
        nodes:
          a:
            - wait: {for: beep, timeout: 20s}
            - say: "Hello after the beep."
            - wait: {for: silence}
            - hangup
        """)
        #expect(r.trace == ["wait:beep:true", "say:Hello after the beep.", "wait:silence:true", "hangup"])
        let json = r.events.first.map { String(describing: $0.json) } ?? ""
        #expect(json.contains("wait") && json.contains("beep"), "\(json)")
    }

    /// `open()` on an overnight range, in the schedule's zone: Friday
    /// 22:00 to Saturday 06:00, and a closed date that cuts the morning.
    @Test func overnightHoursAreOpenAcrossMidnight() async throws {
        let flow = """
        ivr: n
        hours:
          night:
            timezone: America/New_York
            fri: "22:00-06:00"
            closed: ["2026-12-26"]
        nodes:
          a:
            - branch:
                - if: open("night")
                  then: {say: "Open."}
                - else: {say: "Closed."}
            - hangup
        """
        func heard(at time: String) async throws -> [String] {
            try await Harness.run(flow, at: try #require(CallTime.parse(time))).trace
        }
        #expect(try await heard(at: "2026-11-27T21:59:00-05:00").first == "say:Closed.")
        #expect(try await heard(at: "2026-11-27T22:00:00-05:00").first == "say:Open.")
        #expect(try await heard(at: "2026-11-28T05:59:00-05:00").first == "say:Open.")
        #expect(try await heard(at: "2026-11-28T06:00:00-05:00").first == "say:Closed.")
        #expect(try await heard(at: "2026-11-28T23:00:00-05:00").first == "say:Closed.")  // Saturday night
        #expect(try await heard(at: "2026-12-25T23:00:00-05:00").first == "say:Open.")
        #expect(try await heard(at: "2026-12-26T01:00:00-05:00").first == "say:Closed.")  // a closed date
    }

    /// A recording takes one token, like any wait: `!` hangs up during it,
    /// the finish key (`#` by default) ends it and later keys stay buffered.
    @Test func recordIsAWaitForTheCaller() async throws {
        let flow = """
        ivr: r
        nodes:
          a:
            - record: {into: message}
            - menu:
                prompt: {say: "Press 1 to send it."}
                options: {"1": {say: "Sent."}}
                on-invalid: {say: "Not sent."}
                attempts: 1
        """
        let hungUp = try await Harness.run(flow, input: "!")
        #expect(hungUp.outcome == .callerHangup)
        #expect(hungUp.trace == ["caller-hangup"])
        // "#" ends the message; the "1" after it answers the menu (type-ahead: no prompt).
        let finished = try await Harness.run(flow, input: "12#1")
        #expect(finished.trace.prefix(3) == ["record:recording-1.wav", "input:1", "say:Sent."])
        // Keys without the finish key are part of the message: the next token answers.
        let spoken = try await Harness.run(flow, input: "12 1")
        #expect(spoken.trace.prefix(3) == ["record:recording-1.wav", "say:Press 1 to send it.", "input:1"])
        // Silence ends it too; the menu then gets the next token.
        let silent = try await Harness.run(flow, input: "- 1")
        #expect(silent.trace.prefix(3) == ["record:recording-1.wav", "say:Press 1 to send it.", "input:1"])
        // finish-on: none: "#" does not end it, and is not left for the menu.
        let noKey = try await Harness.run(flow.replacingOccurrences(of: "{into: message}", with: "{into: message, finish-on: none}"),
                                          input: "#1 1")
        #expect(noKey.trace.prefix(3) == ["record:recording-1.wav", "say:Press 1 to send it.", "input:1"])
    }

    @Test func playUsesFileAndTranscript() async throws {
        let r = try await Harness.run("""
        ivr: p
        nodes:
          a:
            - play: {file: audio/hi.wav, transcript: "Hi there."}
            - hangup
        """)
        #expect(r.events.first?.heardText == "Hi there.")
        #expect(r.events.first?.json.serialized == #"{"event":"play","file":"audio/hi.wav","transcript":"Hi there.","node":"a"}"#)
    }
}
