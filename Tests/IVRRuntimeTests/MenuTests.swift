import Testing
@testable import IVRRuntime

@Suite struct MenuTests {
    static let menu = """
    ivr: m
    nodes:
      main:
        menu:
          prompt: {say: "Press 1 for sales, 2 for support."}
          short-prompt: {say: "1 or 2."}
          options:
            "1": sales
            "2": {say: "Support."}
            star: repeat
            "0": other
          timeout: 10s
          on-invalid: {say: "Invalid."}
          on-timeout: {say: "No key."}
          on-exhausted: bye
      sales:
        transfer: {sip: "sip:sales@pbx.example"}
      other:
        menu:
          prompt: {say: "Other menu."}
          options:
            "9": back
            "8": top
      bye:
        - say: "Goodbye."
        - hangup
    """

    @Test func optionTransfers() async throws {
        let r = try await Harness.run(Self.menu, input: "1")
        #expect(r.outcome == .transfer)
        #expect(r.destination?.kind == "sip")
        #expect(r.destination?.value == "sip:sales@pbx.example")
        #expect(r.visited == ["main", "sales"])
        #expect(r.trace == ["say:Press 1 for sales, 2 for support.", "input:1", "transfer:sip:sip:sales@pbx.example"])
    }

    @Test func silentCallerExhaustsAttemptsWithShortPrompt() async throws {
        let r = try await Harness.run(Self.menu)
        #expect(r.outcome == .hangup)
        #expect(r.trace == ["say:Press 1 for sales, 2 for support.", "timeout", "say:No key.",
                            "say:1 or 2.", "timeout", "say:No key.",
                            "say:1 or 2.", "timeout", "say:No key.",
                            "say:Goodbye.", "hangup"])
        #expect(r.end.timeIntervalSince(r.start) == 30)
    }

    @Test func invalidThenValid() async throws {
        let r = try await Harness.run(Self.menu, input: "7 1")
        #expect(r.trace == ["say:Press 1 for sales, 2 for support.", "input:7", "invalid:7", "say:Invalid.",
                            "say:1 or 2.", "input:1", "transfer:sip:sip:sales@pbx.example"])
    }

    @Test func repeatDoesNotCountAnAttempt() async throws {
        let r = try await Harness.run(Self.menu, input: "* * * 7 7 7")
        // Three repeats, then three invalid keys exhaust the three attempts.
        #expect(r.trace.filter { $0 == "invalid:7" }.count == 3)
        #expect(r.trace.last == "hangup")
        #expect(r.visited == ["main", "bye"])
    }

    @Test func backReturnsToPreviousMenuAndTopRestarts() async throws {
        let r = try await Harness.run(Self.menu, input: "0 9 0 8 1")
        #expect(r.visited == ["main", "other", "main", "other", "main", "sales"])
        #expect(r.outcome == .transfer)
    }

    @Test func typeAheadBargesIn() async throws {
        let r = try await Harness.run(Self.menu, input: "01")
        // "0" chooses the other menu; the buffered "1" cuts its prompt and is invalid there.
        #expect(r.trace.prefix(4) == ["say:Press 1 for sales, 2 for support.", "input:0", "input:1", "invalid:1"])
    }

    @Test func callerHangsUpMidPrompt() async throws {
        let r = try await Harness.run(Self.menu, input: "!")
        #expect(r.outcome == .callerHangup)
        #expect(r.trace == ["say:Press 1 for sales, 2 for support.", "caller-hangup"])
        #expect(r.visited == ["main"])
    }

    @Test func inlineOptionEndsWithImplicitHangup() async throws {
        let r = try await Harness.run(Self.menu, input: "2")
        #expect(r.trace.suffix(2) == ["say:Support.", "hangup"])
        #expect(r.outcome == .hangup)
    }
}
