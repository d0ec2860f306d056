import Foundation
import IVRTestSupport
import Testing

/// The `wait` step on real calls (`ivrc call` to SIPp callees,
/// scripts/sipp/callee-campaign-mix.xml): a machine's greeting is waited
/// out until its beep has ended, a person's "hello" until a second of
/// silence, and a callee that sends nothing never beeps, so the wait ends
/// at its timeout. What the wait found is in the log line of each call.
@Suite(.serialized, .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")))
struct CallWaitTests {
    static func flow(_ wait: String) -> String {
        """
        ivr: greet
        nodes:
          who:
            - wait: \(wait)
            - say: "Your appointment is tomorrow."
            - hangup

        """
    }

    /// Runs `ivrc call` to `number` at the callee; its standard error (the log).
    static func call(_ flow: String, number: String, callee: CampaignCallee, folder: TemporaryFolder) async throws -> String {
        let binary = try #require(CampaignSIPpTests.ivrcBinary, "build the ivrc executable first (swift build)")
        let file = folder.file("greet-\(UUID().uuidString.prefix(8)).yaml")
        try flow.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try await runProcess(binary, [
            "call", file, "--flow", "greet", "--to", "sip:\(number)@127.0.0.1:\(callee.port)",
            "--records", folder.file("records.jsonl"), "--tts", "none", "--rtp-ports", CampaignCallee.nextRTPPorts(),
        ])
        #expect(run.status == 0, "ivrc call: \(run.stderr)")
        return run.stderr
    }

    @Test func theBeepTheSilenceAndTheTimeout() async throws {
        let folder = try TemporaryFolder()
        let callee = try CampaignCallee(folder: folder.path)
        defer { callee.stop() }
        #expect(await callee.listening(), "SIPp did not start")
        // 6: a 4 s greeting, then a 0.5 s beep at 1 kHz; the beep has ended 4.5 s after the answer.
        let machine = try await Self.call(Self.flow("{for: beep, timeout: 20s}"), number: "+15550000016", callee: callee, folder: folder)
        let heard = try #require(machine.range(of: "wait for beep: heard after "), "no beep heard: \(machine)")
        let after = Int(machine[heard.upperBound...].prefix { $0.isNumber }) ?? 0
        #expect((1...9_000).contains(after), "heard after \(after) ms\n\(machine)")
        // The step may start late on a loaded machine, so what proves that the
        // greeting was waited out is the time since the answer, not the time listened.
        let since = try #require(machine.range(of: " ms after the answer)"), "\(machine)")
        let sinceAnswer = Int(String(machine[..<since.lowerBound].reversed().prefix { $0.isNumber }.reversed())) ?? 0
        #expect(sinceAnswer >= 4_400, "the beep ended 4.5 s after the answer; the wait ended \(sinceAnswer) ms after it\n\(machine)")
        // 5: "hello" (0.8 s), then silence: a second of it after the speech.
        let person = try await Self.call(Self.flow("{for: silence, timeout: 20s}"), number: "+15550000025", callee: callee, folder: folder)
        #expect(person.contains("wait for silence: heard after"), "\(person)")
        // 1: answers and sends no audio: no beep, the timeout.
        let silent = try await Self.call(Self.flow("{for: beep, timeout: 2s}"), number: "+15550000031", callee: callee, folder: folder)
        #expect(silent.contains("wait for beep: timed out after 2000 ms"), "\(silent)")
    }
}
