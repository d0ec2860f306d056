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

    @Test func keyedExtensionTransfers() async throws {
        let r = try await Harness.run(Self.source, input: "1005")
        #expect(r.outcome == .transfer)
        #expect(r.destination?.kind == "extension")
        #expect(r.destination?.value == "1005")
        #expect(r.trace.contains("input:1005"))
    }

    @Test func extensionKeyedAcrossTokens() async throws {
        let r = try await Harness.run(Self.source, input: "1 005")
        #expect(r.destination?.value == "1005")
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
