import Foundation
import IVRBytecode
import IVRCommands
import IVRSyntax
import Testing
@testable import IVRRuntime

/// Bridged transfers from YAML to the scripted caller: the compiler's
/// `BRIDGEOPT`/`BRIDGEMEDIA`, the request the interpreter fills (via
/// resolved against the manifest's `sip.transfer`, the bridge options),
/// the scripted callee's `confirm`, the call record's `bridge` and the
/// `via` of test expectations.
@Suite struct BridgedTransferTests {
    static let flow = """
    ivr: orders
    nodes:
      main-menu:
        menu:
          prompt: {say: "Orders 1, returns 2."}
          options: {"1": order-desk, "2": returns}
          on-invalid: {say: "Sorry."}
          on-exhausted: goodbye
      order-desk:
        transfer:
          number: "+442071234567"
          via: bridge
          ringback: [{say: "Still ringing."}, {play: {file: audio/hold.wav, transcript: "Hold music."}}]
          whisper: {say: "Call from the order line."}
          confirm: "#"
          confirm-timeout: 15s
          record: true
          max-duration: 1h
          on-fail: voicemail
      returns:
        transfer: {sip: "sip:returns@pbx.example", on-fail: voicemail}
      voicemail:
        transfer: {app: voicemail}
      goodbye:
        - say: "Goodbye."
        - hangup
    """

    /// A project of the flow (its ringback spoken: no audio file to find)
    /// with a manifest that has a trunk, and these other files.
    static func project(_ files: [String: String] = [:]) throws -> String {
        let spoken = flow.replacingOccurrences(of: "{play: {file: audio/hold.wav, transcript: \"Hold music.\"}}",
                                               with: "{say: \"Hold music.\"}")
        return try FlowTestRunnerTests.project(files.merging([
            "flows/orders.yaml": spoken, "ivr-project.yaml": "name: orders\nsip:\n  trunk: trunk.example\n",
        ]) { $1 })
    }

    /// Builds the flow with this manifest `sip:` settings, through the writer and the verifier.
    static func bundle(transfer: String? = nil) throws -> VerifiedBundle {
        let parsed = FlowParser.parseFlow(Array(flow.utf8), file: "orders.yaml")
        let flow = try #require(parsed.flow)
        var image = CodeGenerator.compile([flow])
        if let transfer {
            var sip = BundleSIPSettings()
            sip.trunk = "trunk.example"
            sip.transfer = transfer
            image.setSIPSettings(sip)
        }
        return try Bundle.load(BundleWriter.write(image))
    }

    static func call(_ bundle: VerifiedBundle, input: String, callee: String = "",
                     transfers: [String: TransferOutcome] = [:]) async throws -> (CallReport, ScriptedBackend) {
        let backend = ScriptedBackend(tokens: try InputToken.parse(input).get(), at: Date(timeIntervalSince1970: 1_800_000_000))
        backend.calleeTokens = try InputToken.parse(callee, callee: true).get()
        backend.transfers = TransferScript(transfers)
        let report = await CallDriver.run(bundle, flow: 0, backend: backend, caller: "+15550100")
        return (report, backend)
    }

    @Test func theCompilerEmitsTheOptionsBeforeTheTransfer() throws {
        let bundle = try Self.bundle()
        let code = bundle.programs[0].instructions
        let at = try #require(code.firstIndex { if case .transfer(.number, _, _, _, _, _) = $0 { true } else { false } })
        #expect(code[at - 1] == .bridgeMedia(role: BridgeCode.whisperRole))
        #expect(code[at - 3] == .bridgeMedia(role: BridgeCode.ringbackRole))
        #expect(code[at - 6] == .bridgeOptions(via: 2, confirm: 12, confirmTimeout: 15_000, record: 1,
                                               maxDuration: 3_600_000, ringback: 0))
        // A transfer with no bridge field compiles as before: no BRIDGEOPT before it.
        let plain = try #require(code.firstIndex { if case .transfer(.sip, _, _, _, _, _) = $0 { true } else { false } })
        if case .bridgeOptions = code[plain - 1] { Issue.record("a plain transfer got BRIDGEOPT") }
        if case .bridgeMedia = code[plain - 1] { Issue.record("a plain transfer got BRIDGEMEDIA") }
    }

    @Test func bundlesAreReproducibleAndDisassemble() throws {
        let parsed = FlowParser.parseFlow(Array(Self.flow.utf8), file: "orders.yaml")
        let flow = try #require(parsed.flow)
        let a = BundleWriter.write(CodeGenerator.compile([flow])), b = BundleWriter.write(CodeGenerator.compile([flow]))
        #expect(a == b)
        let text = Disassembler.disassemble(try Bundle.load(a))
        #expect(text.contains("BRIDGEOPT 2, 12, 15000, 1, 3600000, 0"), "\(text)")
        #expect(text.contains("BRIDGEMEDIA 1"), "\(text)")
    }

    @Test func theRequestCarriesViaAndTheBridgeOptions() async throws {
        let (report, backend) = try await Self.call(try Self.bundle(), input: "1", callee: "#")
        let request = try #require(backend.transferRequests.first)
        #expect(request.via == .bridge)
        #expect(request.bridge.confirm == "#")
        #expect(request.bridge.confirmTimeout == 15_000)
        #expect(request.bridge.record)
        #expect(request.bridge.maxDuration == 3_600_000)
        #expect(request.bridge.whisper == [.say(text: "Call from the order line.", voice: nil, language: nil)])
        #expect(request.bridge.ringback == .media([.say(text: "Still ringing.", voice: nil, language: nil),
                                                   .play(file: "audio/hold.wav", transcript: "Hold music.")]))
        #expect(report.outcome == .transfer)
        #expect(report.via == .bridge)
        #expect(report.bridge == BridgeSummary(ringSeconds: 0, answered: true, talkSeconds: 0, endedBy: .callee,
                                               recording: "bridge-1.wav"))
        #expect(report.trace.contains("bridge:number:+442071234567"))
        #expect(report.json.serialized.contains(#""destination":{"kind":"number","value":"+442071234567","via":"bridge"}"#))
        #expect(report.json.serialized.contains(#""event":"transfer","kind":"number","value":"+442071234567","via":"bridge","bridge":{"ringSeconds":0.0,"answered":true,"talkSeconds":0.0,"hangupBy":"callee","recording":"bridge-1.wav"}"#),
                "\(report.json.serialized)")
        #expect(Transcript.render(report).contains("bridge to number +442071234567: rang 0 s, answered, talked 0 s, callee hung up, recorded to bridge-1.wav"))
    }

    @Test(arguments: ["", "-", "1", "!"])
    func aConfirmNotPressedIsNoAnswerAndRunsOnFail(_ callee: String) async throws {
        let (report, backend) = try await Self.call(try Self.bundle(), input: "1", callee: callee)
        #expect(backend.transferRequests.count == 2)
        #expect(report.destination?.value == "voicemail")
        #expect(report.via == .refer)
        // The record keeps the attempt: not answered, to its own destination (the call went on to voicemail).
        #expect(report.bridge == .unanswered(ringSeconds: 0, failure: "no-answer"))
        let bridge = try #require(report.record(id: "c1", backend: "simulate").bridge)
        #expect(bridge == CallRecord.Bridge(destination: CallRecord.Destination(kind: "number", value: "+442071234567"),
                                            ringSeconds: 0, answered: false, talkSeconds: 0))
        let failed = report.events.compactMap { e -> TransferOutcome? in
            if case .transferFailed(_, _, let result, _) = e.kind { result } else { nil }
        }
        #expect(failed == [.noAnswer])
        #expect(backend.elapsed >= 15_000)
    }

    @Test func aBusyBridgeRunsOnFailWithoutAskingTheCallee() async throws {
        let (report, backend) = try await Self.call(try Self.bundle(), input: "1", callee: "#",
                                                    transfers: ["+442071234567": .busy])
        #expect(report.destination?.value == "voicemail")
        #expect(backend.calleeTokens.count == 1)
        let line = report.record(id: "c1", backend: "simulate").jsonLine()
        #expect(line.contains(#""bridge":{"answered":false,"destination":{"kind":"number","value":"+442071234567"},"ringSeconds":0,"talkSeconds":0}"#),
                "\(line)")
        #expect(line.contains(#""transferFailures":[{"kind":"number","reason":"busy","result":"busy","value":"+442071234567"}]"#), "\(line)")
    }

    @Test func aBridgeNobodyAnswersRecordsItsRingTime() async throws {
        let (report, _) = try await Self.call(try Self.bundle(), input: "1", transfers: ["+442071234567": .noAnswer])
        #expect(report.destination?.value == "voicemail")
        let bridge = try #require(report.record(id: "c1", backend: "simulate").bridge)
        #expect(!bridge.answered && bridge.hangupBy == nil && bridge.talkSeconds == 0)
        #expect(bridge.ringSeconds == 30)  // the transfer's default ring time
        // A later bridge that connects replaces the attempt in the record.
        let (connected, _) = try await Self.call(try Self.bundle(), input: "1", callee: "#")
        #expect(connected.record(id: "c2", backend: "simulate").bridge?.answered == true)
    }

    @Test func aTransferWithoutViaTakesTheManifestsDefault() async throws {
        let (plain, noManifest) = try await Self.call(try Self.bundle(), input: "2")
        #expect(noManifest.transferRequests.first?.via == .refer)
        #expect(plain.via == .refer)
        let (bridged, bridging) = try await Self.call(try Self.bundle(transfer: "bridge"), input: "2")
        #expect(bridging.transferRequests.first?.via == .bridge)
        #expect(bridging.transferRequests.first?.bridge == BridgeOptions())
        #expect(bridged.via == .bridge)
        // The scripted caller accepts every REFER: `auto` connects by REFER.
        let (auto, autoBackend) = try await Self.call(try Self.bundle(transfer: "auto"), input: "2")
        #expect(autoBackend.transferRequests.first?.via == .auto)
        #expect(auto.via == .refer)
        // The step's own via wins over the manifest.
        let (_, stepVia) = try await Self.call(try Self.bundle(transfer: "refer"), input: "1", callee: "#")
        #expect(stepVia.transferRequests.first?.via == .bridge)
    }

    @Test func theCallRecordCarriesTheBridge() async throws {
        let (report, _) = try await Self.call(try Self.bundle(), input: "1", callee: "#")
        let record = report.record(id: "c1", backend: "simulate")
        let line = record.jsonLine()
        #expect(line.contains(#""bridge":{"answered":true,"destination":{"kind":"number","value":"+442071234567"},"hangupBy":"callee","recording":"bridge-1.wav","ringSeconds":0,"talkSeconds":0}"#), "\(line)")
        #expect(CallRecord.parse(line: line) == record)
        // A call without a bridge has no `bridge` key.
        let (plain, _) = try await Self.call(try Self.bundle(), input: "2")
        #expect(!plain.record(id: "c2", backend: "simulate").jsonLine().contains("bridge"))
    }

    @Test func billableMinutesCountEveryStartedMinute() {
        let d = CallRecord.Destination(kind: "number", value: "+442071234567")
        #expect(CallRecord.Bridge(destination: d, ringSeconds: 3, answered: true, talkSeconds: 0).billableMinutes == 0)
        #expect(CallRecord.Bridge(destination: d, ringSeconds: 3, answered: true, talkSeconds: 0.4).billableMinutes == 1)
        #expect(CallRecord.Bridge(destination: d, ringSeconds: 3, answered: true, talkSeconds: 60).billableMinutes == 1)
        #expect(CallRecord.Bridge(destination: d, ringSeconds: 3, answered: true, talkSeconds: 60.001).billableMinutes == 2)
        #expect(CallRecord.Bridge(destination: d, ringSeconds: 30, answered: false, talkSeconds: 0).billableMinutes == 0)
    }

    @Test func theSIPSettingsCarryTheManifestsTransfer() throws {
        var sip = BundleSIPSettings()
        sip.transfer = "auto"
        #expect(try BundleSIPSettings(pairs: sip.pairs) == sip)
        #expect(throws: BundleError.self) { try BundleSIPSettings(pairs: [(key: "transfer", value: "bridged")]) }
    }

    @Test func testFilesScriptTheCalleeAndExpectVia() async throws {
        let root = try Self.project(["tests/orders.test.yaml": """
            flow: orders
            cases:
              - name: the agent accepts
                input: ["1"]
                callee-input: ["#"]
                expect: {outcome: transfer, destination: {number: "+442071234567"}, via: bridge}
              - name: the agent lets it ring
                input: ["1"]
                callee-input: ["-"]
                expect: {outcome: transfer, destination: {app: voicemail}, via: refer}
              - name: returns by REFER
                input: ["2"]
                expect: {outcome: transfer, via: bridge}
            """])
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 1, "\(out)")
        #expect(out.contains("ok   tests/orders.test.yaml: the agent accepts"), "\(out)")
        #expect(out.contains("ok   tests/orders.test.yaml: the agent lets it ring"), "\(out)")
        #expect(out.contains("via: expected bridge, got refer"), "\(out)")
    }

    @Test func badCalleeTokensAndViaAreErrorsAtTheirValues() async throws {
        let root = try Self.project(["tests/orders.test.yaml": """
            flow: orders
            cases:
              - name: typo
                input: ["1"]
                callee-input: ["E"]
                expect: {via: brige}
            """])
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 1)
        #expect(out.contains("tests/orders.test.yaml:5:20: error[E006]: invalid input token 'E': use keys (0-9, *, #, A-D)"), "\(out)")
        #expect(out.contains("tests/orders.test.yaml:6:19: error[E006]: 'via' must be refer or bridge"), "\(out)")
    }

    @Test func simulateTakesTheCalleesKeys() async throws {
        let root = try Self.project()
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        o.input = "1"
        o.calleeInput = "#"
        let (out, code) = await SimulateRunner.run(o)
        #expect(code == 0, "\(out)")
        #expect(out.contains("bridge to number +442071234567: rang 0 s, answered"), "\(out)")
        #expect(out.contains("outcome: transfer (number +442071234567, bridged)"), "\(out)")
        o.calleeInput = "X"
        let (bad, badCode) = await SimulateRunner.run(o)
        #expect(badCode != 0)
        #expect(bad.contains("invalid input token 'X'"), "\(bad)")
    }
}
