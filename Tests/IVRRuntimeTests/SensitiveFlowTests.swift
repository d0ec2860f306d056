import Foundation
import IVRBytecode
import IVRCommands
import Synchronization
import Testing
@testable import IVRRuntime

/// Sensitivity follows values (taint): whatever is made from a sensitive
/// capture shows as `***` in every output, while transfers and webhooks
/// still use the real value.
@Suite struct SensitiveFlowTests {
    static let copies = """
    ivr: f
    nodes:
      start:
        - capture: {prompt: {say: "PIN"}, into: pin, max: 4, sensitive: true}
        - set: {copy: "${pin}", part: "x${pin}y", plain: "ok"}
        - set: {deeper: "a${part}", later: "${copy}"}
        - set: {later: "cleared"}
        - transfer: {extension: "${pin}", allow: "^[0-9]{4}$", on-fail: failed}
      failed:
        - say: "Busy."
        - hangup
    """

    static func simulate(_ source: String, input: String = "1234", json: Bool, trace: Bool = false,
                         records: String? = nil) async throws -> (String, String) {
        let root = try FlowTestRunnerTests.project(["flows/f.yaml": source])
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        o.input = input
        o.json = json
        o.trace = trace
        o.records = records
        let (out, code) = await SimulateRunner.run(o)
        #expect(code == 0, "\(out)")
        return (out, root)
    }

    @Test func copiesPartsAndChainsAreRedactedInJSON() async throws {
        let (out, _) = try await Self.simulate(Self.copies, json: true)
        #expect(out.contains(#""variables":{"copy":"***","deeper":"***","later":"cleared","part":"***","pin":"***","plain":"ok"}"#),
                "\(out)")
        #expect(out.contains(#""destination":{"kind":"extension","value":"***"}"#))
        #expect(out.contains(#"{"event":"transfer","kind":"extension","value":"***","node":"start"}"#))
        #expect(!out.contains("1234"), "\(out)")
    }

    @Test func transcriptTraceAndRecordsShowNoDigits() async throws {
        let (out, root) = try await Self.simulate(Self.copies, json: false, trace: true, records: "calls.jsonl")
        #expect(out.contains("trace f@"))
        #expect(out.contains("  [start] transfer to extension ***\n"))
        #expect(out.contains("outcome: transfer (extension ***)\n"))
        #expect(out.contains("variables: copy=***, deeper=***, later=cleared, part=***, pin=***, plain=ok\n"))
        #expect(!out.contains("1234"), "\(out)")
        let line = try String(contentsOfFile: root + "/calls.jsonl", encoding: .utf8)
        let record = try #require(CallRecord.parse(line: line.trimmingCharacters(in: .newlines)))
        #expect(record.destination == CallRecord.Destination(kind: "extension", value: "***"))
        #expect(!line.contains("1234"), "\(line)")
    }

    @Test func theTransferStillGoesToTheRealValue() async throws {
        let bundle = try Harness.bundle(Self.copies)
        // The scripted line for 1234 is busy: only the real value can make it fail.
        let busy = try await Harness.call(bundle, input: "1234", failing: ["1234"])
        #expect(busy.trace.contains("transfer-failed:extension:***"))
        #expect(busy.visited == ["start", "failed"])
        let connected = try await Harness.call(bundle, input: "1234", failing: ["***"])
        #expect(connected.outcome == .transfer)
        #expect(connected.destination?.value == "***")
        #expect(connected.hidden.destination == "1234")
        #expect(connected.hidden.variables == ["pin": "1234", "copy": "1234", "part": "x1234y", "deeper": "ax1234y"])
        // Refused by `allow` (three digits): the refusal shows `***` too.
        let refused = try await Harness.call(bundle, input: "123#")
        #expect(refused.trace.contains("transfer-failed:extension:***"))
        #expect(!refused.json.serialized.contains("123\""))
    }

    /// Flows the checker refuses (E503), run anyway: the machine never
    /// shows, nor speaks, a sensitive value; the webhook still gets it.
    @Test func uncheckedSaysAndURLsShowStars() async throws {
        let source = """
        ivr: u
        nodes:
          start:
            - capture: {into: pin, max: 4, sensitive: true}
            - set: {copy: "${pin}"}
            - say: "Your PIN is ${copy}."
            - webhook: {url: "https://api.example/check?pin=${copy}&x=1", on-error: done}
            - hangup
          done: hangup
        """
        let bundle = try Harness.bundle(source)
        let backend = ScriptedBackend(tokens: try InputToken.parse("1234").get(), at: Date(timeIntervalSince1970: 0),
                                      webhooks: [("https://api.example/", WebhookResponse(status: 200, body: Array("{}".utf8)))])
        let r = await CallDriver.run(bundle, flow: 0, backend: backend, caller: "+1555")
        #expect(r.trace.contains("say:Your PIN is ***."))
        #expect(r.trace.contains("webhook:https://api.example/check?pin=***&x=1:200"))
        #expect(backend.webhookRequests.map(\.url) == ["https://api.example/check?pin=1234&x=1"])
        #expect(!r.json.serialized.contains("1234"))
    }

    /// A voice made from a sensitive value never reaches the speech engine.
    @Test func aSensitiveVoiceIsIgnored() throws {
        let source = """
        ivr: v
        nodes:
          start:
            - capture: {into: pin, max: 4, sensitive: true}
            - set: {voice: "v${pin}", language: "en-US"}
            - say: "Hello."
            - hangup
        """
        var vm = CallVM(bundle: try Harness.bundle(source), flow: 0, caller: "+1555", now: Date(timeIntervalSince1970: 0))
        var said: Effect?
        for _ in 0..<20 {
            let effect = vm.run()
            if case .collect = effect { vm.resume(.collected(CollectResult(digits: "1234", ending: .maxDigits, promptsPlayed: 0))) }
            if case .say = effect { said = effect }
            if case .hangup = effect { break }
        }
        #expect(said == .say(text: "Hello.", voice: nil, language: "en-US"))
    }

    /// Variables follow an `ivr:` transfer with their sensitivity.
    @Test func taintCrossesFlows() async throws {
        let a = """
        ivr: a
        nodes:
          start:
            - capture: {into: pin, max: 4, sensitive: true}
            - set: {copy: "${pin}"}
            - transfer: {ivr: b}
        """
        let b = """
        ivr: b
        nodes:
          start:
            - set: {again: "${copy}", other: "${copy}"}
            - set: {other: "plain"}
            - hangup
        """
        let r = try await Harness.call(try Harness.bundle(a, b), input: "1234")
        #expect(r.variableMap == ["again": "***", "copy": "***", "other": "plain", "pin": "***"])
        #expect(!r.json.serialized.contains("1234"))
    }

    @Test func liveInputsStayRedacted() async throws {
        let bundle = try Harness.bundle(Self.copies)
        let seen = Seen()
        let backend = ScriptedBackend(tokens: try InputToken.parse("1234").get())
        let r = await CallDriver.run(bundle, flow: 0, backend: backend, caller: "+1555", onInput: { seen.add($0.digits) })
        #expect(seen.all == ["***"])
        #expect(!r.record(id: "c", backend: "simulate").jsonLine().contains("1234"))
    }

    /// A case may expect the real value or `***`; a failure prints `***`.
    @Test func testExpectationsMeetRealValuesAndPrintStars() async throws {
        let tests = """
        flow: f
        cases:
          - name: real
            input: ["1234"]
            expect: {destination: {extension: "1234"}, variables: {copy: "1234", part: "x1234y", pin: "1234"}}
          - name: redacted
            input: ["1234"]
            expect: {destination: {extension: "***"}, variables: {copy: "***", plain: "ok"}}
          - name: wrong
            input: ["1234"]
            expect: {destination: {extension: "4321"}, variables: {copy: "4321"}}
        """
        let root = try FlowTestRunnerTests.project(["flows/f.yaml": Self.copies, "tests/f.test.yaml": tests])
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 1)
        #expect(out.contains("ok   tests/f.test.yaml: real\n") && out.contains("ok   tests/f.test.yaml: redacted\n"), "\(out)")
        #expect(out.contains("     destination: expected extension 4321, got extension ***\n"))
        #expect(out.contains("     variable copy: expected \"4321\", got \"***\"\n"))
        #expect(out.contains("     | variables: copy=***, deeper=***, later=cleared, part=***, pin=***, plain=ok\n"))
        #expect(!out.contains("1234"), "\(out)")
    }

    @Test func bitsBeyondTheFirstWord() {
        var bits = TaintBits()
        #expect(bits.isEmpty)
        for i in [0, 5, 63, 64, 130, 200] { bits[i] = true }
        #expect([0, 5, 63, 64, 130, 200].allSatisfy { bits[$0] })
        #expect(![1, 62, 65, 129, 199, 500].contains { bits[$0] })
        bits[500] = false  // clearing past the end allocates nothing and changes nothing
        bits.clear(from: 100)
        #expect(bits[64] && !bits[130] && !bits[200])
        bits.clear(from: 5)
        #expect(bits[0] && !bits[5] && !bits[63] && !bits[64])
        bits[0] = false
        #expect(bits.isEmpty)
    }
}

/// What an input observer saw.
final class Seen: Sendable {
    private let items = Mutex<[String]>([])
    var all: [String] { items.withLock { $0 } }
    func add(_ s: String) { items.withLock { $0.append(s) } }
}
