import Testing
@testable import IVRRuntime

@Suite struct DialByExtensionTests {
    static let source = """
    ivr: d
    nodes:
      main:
        menu:
          prompt: {say: "Press 2 for sales, or dial an extension."}
          options:
            "2": sales
            "1": sales
          dial-by-extension:
            pattern: "^10[01][0-9]$"
            inter-digit-timeout: 2s
          attempts: 1
      sales:
        transfer: {group: sales}
    """

    /// Collecting ends as soon as the keys match and no further key could:
    /// "21" under `^1[0-9]{3}$|^2[0-9]$` transfers at once (no inter-digit
    /// wait), and a key after it stays buffered instead of spoiling it.
    @Test func aCompleteExtensionEndsTheWaitAtOnce() async throws {
        let source = Self.source.replacingOccurrences(of: "\"^10[01][0-9]$\"", with: "\"^1[0-9]{3}$|^2[0-9]$\"")
            .replacingOccurrences(of: "\"2\": sales", with: "\"3\": sales")
        let bundle = try Harness.bundle(source)
        for input in ["21", "213"] {
            let backend = ScriptedBackend(tokens: try InputToken.parse(input).get())
            let r = await CallDriver.run(bundle, flow: 0, backend: backend, caller: "x")
            #expect(r.destination?.value == "21", "\(input)")
            #expect(backend.elapsed == 0, "\(input): no inter-digit timeout waited")
        }
        // A longer match still waits for its keys; a prefix that could go on waits the timeout.
        #expect(try await Harness.run(source, input: "1234").destination?.value == "1234")
        let partial = ScriptedBackend(tokens: [.keys("123")])
        let r = await CallDriver.run(bundle, flow: 0, backend: partial, caller: "x")
        #expect(r.destination == nil && r.trace.contains("invalid:123"))
        #expect(partial.elapsed >= 2000)
    }

    @Test func keyedExtensionTransfers() async throws {
        let r = try await Harness.run(Self.source, input: "1005")
        #expect(r.outcome == .transfer)
        #expect(r.destination?.kind == "extension")
        #expect(r.destination?.value == "1005")
        #expect(r.trace.contains("input:1005"))
    }

    /// The pattern searches like every regex: unanchored, any key begins a
    /// match and a longer number containing one is accepted; anchored, the
    /// same number is invalid input.
    @Test func anUnanchoredPatternAcceptsLongerNumbers() async throws {
        let unanchored = Self.source.replacingOccurrences(of: "\"^10[01][0-9]$\"", with: "\"10[01][0-9]\"")
        let r = try await Harness.run(unanchored, input: "51005")
        #expect(r.destination?.kind == "extension")
        #expect(r.destination?.value == "51005")
        let anchored = try await Harness.run(Self.source, input: "51005")
        #expect(anchored.destination == nil)
        #expect(anchored.trace.contains("invalid:5"))
    }

    /// One token per wait: the menu's wait is the token "1"; the caller
    /// then pauses, the inter-digit timeout runs option 1, and "005" is left
    /// for the next wait (flow-language.md section 9).
    @Test func aTokenEndsTheMenusWaitEvenWhenItCouldBeginAnExtension() async throws {
        let r = try await Harness.run(Self.source, input: "1 005")
        #expect(r.destination?.kind == "group")
        #expect(r.trace.contains("input:1"))
        #expect(r.end.timeIntervalSince(r.start) == 2)
    }

    /// The spec's account example: option 1 begins an extension, and the
    /// next token is the capture's, not more extension digits.
    @Test func nextTokenGoesToTheNextWait() async throws {
        let source = Self.source.replacingOccurrences(of: """
              sales:
                transfer: {group: sales}
            """, with: """
              sales:
                - capture: {into: account, min: 6, max: 10, prompt: {say: "Account?"}}
                - transfer: {extension: "${account}", allow: "^[0-9]+$"}
            """)
        let r = try await Harness.run(source, input: "1 123456#")
        #expect(r.destination?.kind == "extension")
        #expect(r.destination?.value == "123456")
    }

    @Test func optionKeyThatCannotBeginAnExtensionRunsAtOnce() async throws {
        let r = try await Harness.run(Self.source, input: "2")
        #expect(r.destination?.kind == "group")
        #expect(r.end == r.start)  // no inter-digit wait
    }

    @Test func optionKeyThatBeginsAnExtensionWaitsTheInterDigitTimeout() async throws {
        let r = try await Harness.run(Self.source, input: "1")
        #expect(r.destination?.kind == "group")
        #expect(r.end.timeIntervalSince(r.start) == 2)
    }

    @Test func nonMatchingDigitsAreInvalid() async throws {
        let r = try await Harness.run(Self.source, input: "1099")
        #expect(r.trace.contains("invalid:1099"))
        #expect(r.outcome == .hangup)
    }

    @Test func hashEndsTheExtension() async throws {
        let r = try await Harness.run(Self.source, input: "10#")
        #expect(r.trace.contains("invalid:10"))
    }
}
