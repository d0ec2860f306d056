import Testing
@testable import IVRRuntime

@Suite struct CaptureTests {
    static func flow(_ capture: String) -> String {
        """
        ivr: c
        nodes:
          ask:
            - capture:
        \(capture)
                on-invalid: {say: "Invalid."}
            - say: "Got ${account}."
            - hangup
        """
    }

    static let basic = flow("""
                prompt: {say: "Enter your account."}
                short-prompt: {say: "Account?"}
                into: account
                min: 4
                max: 6
                timeout: 8s
                inter-digit-timeout: 2s
        """)

    @Test func terminatorEndsAndIsNotStored() async throws {
        let r = try await Harness.run(Self.basic, input: "1234#")
        #expect(r.trace == ["say:Enter your account.", "input:1234", "say:Got 1234.", "hangup"])
        #expect(r.variableMap["account"] == "1234")
    }

    @Test func maxDigitsEndsCollectionAndTheRestIsTypeAhead() async throws {
        let r = try await Harness.run(Self.basic, input: "1234567")
        #expect(r.variableMap["account"] == "123456")
        #expect(r.trace[1] == "input:123456")
    }

    @Test func interDigitTimeoutEnds() async throws {
        let r = try await Harness.run(Self.basic, input: "12345")
        #expect(r.variableMap["account"] == "12345")
        #expect(r.end.timeIntervalSince(r.start) == 2)
    }

    @Test func fewerThanMinIsInvalidAndShortPromptFollows() async throws {
        let r = try await Harness.run(Self.basic, input: "12# 5555#")
        #expect(r.trace == ["say:Enter your account.", "input:12", "invalid:12", "say:Invalid.",
                            "say:Account?", "input:5555", "say:Got 5555.", "hangup"])
    }

    @Test func silenceTimesOutThenExhausts() async throws {
        let r = try await Harness.run(Self.basic, input: "- -")
        #expect(r.trace == ["say:Enter your account.", "timeout", "say:Account?", "timeout", "say:Account?", "timeout", "hangup"])
        #expect(r.end.timeIntervalSince(r.start) == 24)
        #expect(r.visited == ["ask"])
    }

    @Test func patternMismatchIsInvalid() async throws {
        let source = Self.flow("""
                into: account
                pattern: "^9[0-9]*$"
                attempts: 1
        """)
        let r = try await Harness.run(source, input: "1234#")
        #expect(r.trace == ["input:1234", "invalid:1234", "say:Invalid.", "hangup"])
        let ok = try await Harness.run(source, input: "9234#")
        #expect(ok.variableMap["account"] == "9234")
    }

    /// A capture pattern searches: "^9" only asks for a leading 9, "00"
    /// for two zeros anywhere.
    @Test func patternSearchesTheDigits() async throws {
        let leading = Self.flow("""
                into: account
                pattern: "^9"
                attempts: 1
        """)
        #expect(try await Harness.run(leading, input: "9123456#").variableMap["account"] == "9123456")
        let notLeading = try await Harness.run(leading, input: "1923#")
        #expect(notLeading.trace == ["input:1923", "invalid:1923", "say:Invalid.", "hangup"])
        let zeros = Self.flow("""
                into: account
                pattern: "00"
                attempts: 1
        """)
        #expect(try await Harness.run(zeros, input: "41007#").variableMap["account"] == "41007")
        let noZeros = try await Harness.run(zeros, input: "4107#")
        #expect(noZeros.trace == ["input:4107", "invalid:4107", "say:Invalid.", "hangup"])
    }

    @Test func sensitiveDigitsAreRedactedEverywhere() async throws {
        let source = """
        ivr: pin
        nodes:
          ask:
            - capture: {into: pin, sensitive: true, min: 4, max: 4}
            - transfer: {extension: "100"}
        """
        let r = try await Harness.run(source, input: "4321")
        #expect(r.trace.contains("input:***"))
        #expect(r.variableMap["pin"] == "***")
        #expect(!r.json.serialized.contains("4321"))
        let record = r.record(id: "c1", backend: "simulate")
        #expect(record.inputs == [CallRecord.Input(node: "ask", digits: "***", kind: "capture", sensitive: true)])
        #expect(!record.jsonLine().contains("4321"))
        let bad = try await Harness.run(source, input: "12# 4321")
        #expect(bad.trace.contains("invalid:***"))
        #expect(!bad.json.serialized.contains("12\""))
    }

    @Test func noTerminatorMeansMaxOrTimeout() async throws {
        let source = Self.flow("""
                into: account
                terminator: none
                max: 3
        """)
        let r = try await Harness.run(source, input: "1#2")
        #expect(r.variableMap["account"] == "1#2")
    }

    /// A capture of exactly 6 digits, "then press hash", followed by a menu
    /// whose `#` is no option.
    static func accountThenMenu(terminator: String = "") -> String {
        """
        ivr: c
        nodes:
          ask:
            - capture:
                prompt: {say: "Enter your account number, then press hash."}
                into: account
                min: 6
                max: 6
                inter-digit-timeout: 3s\(terminator)
            - goto: menu
          menu:
            menu:
              prompt: {say: "For balances, press 1."}
              options: {"1": done}
              on-invalid: {say: "Sorry, that is not a valid choice."}
          done: hangup
        """
    }

    /// The `#` a caller presses after the 6th digit belongs to the capture:
    /// the next menu plays its prompt and hears only its own key.
    @Test func terminatorAfterMaxDigitsBelongsToTheCapture() async throws {
        let r = try await Harness.run(Self.accountThenMenu(), input: "123456# 1")
        #expect(r.trace == ["say:Enter your account number, then press hash.", "input:123456",
                            "say:For balances, press 1.", "input:1", "hangup"])
        #expect(r.variableMap["account"] == "123456")
        #expect(r.end == r.start, "the # came with the digits: no time waited")
        // Keys buffered from an earlier token were typed in the same burst.
        let buffered = try await Harness.run(Self.accountThenMenu(), input: "123456#1")
        #expect(buffered.trace == ["say:Enter your account number, then press hash.", "input:123456", "input:1", "hangup"])
    }

    /// A key after the 6th digit that is not the terminator stays buffered
    /// for the next wait (type-ahead: it cuts the menu's prompt).
    @Test func anotherKeyAfterMaxDigitsIsTypeAhead() async throws {
        let r = try await Harness.run(Self.accountThenMenu(), input: "1234561")
        #expect(r.trace == ["say:Enter your account number, then press hash.", "input:123456", "input:1", "hangup"])
        #expect(r.end == r.start)
    }

    /// A `#` given as the next token is pressed later, in the next wait: it
    /// is the menu's input. The capture ended at once (no time passed).
    @Test func terminatorInTheNextTokenIsTheNextWaitsInput() async throws {
        let r = try await Harness.run(Self.accountThenMenu(), input: "123456 # 1")
        #expect(r.trace == ["say:Enter your account number, then press hash.", "input:123456",
                            "say:For balances, press 1.", "input:#", "invalid:#", "say:Sorry, that is not a valid choice.",
                            "say:For balances, press 1.", "input:1", "hangup"])
        #expect(r.end == r.start, "nothing waits for the terminator")
    }

    /// Without a terminator, a `#` after the digits is the next wait's key.
    @Test func terminatorNoneTakesNoTrailingKey() async throws {
        let r = try await Harness.run(Self.accountThenMenu(terminator: "\n        terminator: none"), input: "123456# 1")
        #expect(r.trace == ["say:Enter your account number, then press hash.", "input:123456", "input:#", "invalid:#",
                            "say:Sorry, that is not a valid choice.", "say:For balances, press 1.", "input:1", "hangup"])
    }
}
