import Foundation
import IVRCommands
import Testing
@testable import IVRRuntime

/// Busy and unanswered transfers: `transfers:` in test cases and
/// `simulate --transfer VALUE=RESULT` script each transfer's result; every
/// result but `answered` runs the transfer's `on-fail`, which the coverage
/// line counts.
@Suite struct ScriptedTransferTests {
    static let flow = """
    ivr: acme-main
    nodes:
      main-menu:
        menu: {prompt: {say: "Sales 1, support 2."}, options: {"1": sales, "2": support}, on-exhausted: goodbye}
      sales:
        transfer:
          sip: "sip:sales@pbx.acme.example"
          timeout: 20s
          on-fail: voicemail
      support:
        transfer:
          extension: "200"
          on-fail: [{say: "Nobody is there."}, hangup]
      voicemail:
        transfer: {app: voicemail}
      goodbye:
        - say: "Goodbye."
        - hangup
    """

    static func project(_ tests: String) throws -> String {
        try FlowTestRunnerTests.project(["flows/main.yaml": Self.flow, "tests/main.test.yaml": tests])
    }

    @Test func casesScriptResultsAndCoverageCountsOnFailPaths() async throws {
        let root = try Self.project("""
        flow: acme-main
        cases:
          - name: sales answers
            input: ["1"]
            expect: {outcome: transfer, destination: {sip: "sip:sales@pbx.acme.example"}}
          - name: sales busy goes to voicemail
            input: ["1"]
            transfers: {"sip:sales@pbx.acme.example": busy, "voicemail": answered}
            expect: {outcome: transfer, destination: {app: voicemail}, visited: [main-menu, sales, voicemail]}
          - name: support does not answer
            input: ["2"]
            transfers: {"200": no-answer}
            expect: {outcome: hangup, heard: ["Nobody is there."]}
          - name: silent
            expect: {outcome: hangup}
        """)
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 0, "\(out)")
        #expect(out.contains("coverage: nodes 5/5, menu options 2/2, on-fail paths 2/2\n"), "\(out)")
        #expect(!out.contains("warning:"), "\(out)")
    }

    /// Only the on-fail paths taken count; the missing one is named with its line.
    @Test func uncoveredOnFailIsNamed() async throws {
        let root = try Self.project("""
        flow: acme-main
        cases:
          - {name: sales busy, input: ["1"], transfers: {"sip:sales@pbx.acme.example": rejected}, expect: {outcome: transfer}}
        """)
        let (out, _) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(out.contains(", on-fail paths 1/2; not covered: "), "\(out)")
        #expect(out.contains("acme-main/support on-fail (line 11)"), "\(out)")
    }

    /// Every result but `answered` runs on-fail; `--json` shows the failed
    /// attempt as a `transfer-failed` event with its `result`, then the
    /// on-fail path. Nobody answering rings for the transfer's timeout.
    @Test(arguments: ["busy", "no-answer", "rejected", "failed"])
    func simulateTransferOption(_ result: String) async throws {
        let root = try FlowTestRunnerTests.project(["flows/main.yaml": Self.flow])
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        o.input = "1"
        o.json = true
        o.transfers = ["sip:sales@pbx.acme.example=\(result)"]
        let (out, code) = await SimulateRunner.run(o)
        #expect(code == 0, "\(out)")
        #expect(out.contains(#"{"event":"transfer-failed","kind":"sip","value":"sip:sales@pbx.acme.example","result":"\#(result)","reason":"\#(result)","node":"sales"},{"event":"transfer","kind":"app","value":"voicemail","node":"voicemail"}"#), "\(out)")
        #expect(out.contains(#""destination":{"kind":"app","value":"voicemail"}"#))

        o.json = false
        o.records = "calls.jsonl"
        let transcript = await SimulateRunner.run(o).output
        #expect(transcript.contains("[sales] transfer to sip sip:sales@pbx.acme.example -> \(result); taking on-fail\n"), "\(transcript)")
        let record = try String(contentsOfFile: root + "/calls.jsonl", encoding: .utf8)
        #expect(record.contains(#""durationMs":\#(result == "no-answer" ? 20000 : 0)"#), "\(record)")
    }

    @Test func transferOptionErrors() async throws {
        let root = try FlowTestRunnerTests.project(["flows/main.yaml": Self.flow])
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        o.transfers = ["sip:sales@pbx.acme.example=bussy"]
        let typo = await SimulateRunner.run(o)
        #expect(typo.exitCode == 64)
        #expect(typo.output == "error: --transfer 'sip:sales@pbx.acme.example=bussy': unknown transfer result 'bussy'; "
                + "expected one of answered, busy, no-answer, rejected, failed; did you mean 'busy'?\n")
        o.transfers = ["busy"]
        #expect(await SimulateRunner.run(o).output.hasPrefix("error: --transfer 'busy' must be VALUE=RESULT"))
        // A value may hold '=' itself: the result follows the last one.
        let parsed = try TransferScript.parse(["sip:sales@pbx;transport=tcp=no-answer"]).get()
        #expect(parsed.results == ["sip:sales@pbx;transport=tcp": .noAnswer])
    }

    @Test func unknownResultWordInATestFile() throws {
        let text = """
        flow: acme-main
        cases:
          - name: x
            transfers: {"200": bussy, "sip:a@b": 7}
            expect: {outcome: hangup}
        """
        let (_, diagnostics) = FlowTestParser.parse(Array(text.utf8), file: "t.test.yaml")
        #expect(diagnostics.count == 2)
        let word = try #require(diagnostics.first)
        #expect(word.code == .E006 && word.message.hasPrefix("unknown transfer result 'bussy'; expected one of answered, busy"))
        #expect(word.help == "did you mean 'busy'?" && word.fix?.replacement == "busy")
        #expect("\(word.range.start)" == "4:24")
        #expect(diagnostics.last?.message.hasPrefix("unknown transfer result '7'") == true)
    }

    /// A scripted value no transfer dialled is most likely a typo: a warning
    /// that suggests the value the call did dial (the case itself still passes).
    @Test func unusedTransferKeyWarns() async throws {
        let root = try Self.project("""
        flow: acme-main
        cases:
          - name: typo
            input: ["1"]
            transfers: {"sip:sales@pbx.acme.exmple": busy}
            expect: {outcome: transfer}
        """)
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 0)
        #expect(out.contains("""
        tests/main.test.yaml:5:17: warning: case 'typo' scripts a transfer to 'sip:sales@pbx.acme.exmple', but no transfer went there
           = help: did you mean 'sip:sales@pbx.acme.example'? (the call dialled sip sip:sales@pbx.acme.example)

        """), "\(out)")
    }

    /// The SIP backend's reasons start with the final status of the new call.
    @Test func resultOfABackendReason() {
        #expect(TransferOutcome(reason: "486 Busy Here") == .busy)
        #expect(TransferOutcome(reason: "600 Busy Everywhere") == .busy)
        #expect(TransferOutcome(reason: "487 Request Terminated") == .noAnswer)
        #expect(TransferOutcome(reason: "480 Temporarily Unavailable") == .noAnswer)
        #expect(TransferOutcome(reason: "603 Decline") == .rejected)
        #expect(TransferOutcome(reason: "503 Service Unavailable") == .failed)
        #expect(TransferOutcome(reason: "REFER timed out") == .failed)
        #expect(TransferOutcome(reason: "4860 x") == .failed)
        #expect(TransferOutcome(reason: "no-answer") == .noAnswer)
    }
}
