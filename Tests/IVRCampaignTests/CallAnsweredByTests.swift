import Foundation
import IVRTestSupport
import Testing

/// `answered_by` on `ivrc call`: a flow that reads it starts once the
/// callee's first seconds told a person from a machine, and takes the
/// branch the verdict gives; its record carries `answeredBy`. A flow that
/// does not read it starts at once and its record has no `answeredBy`.
/// The callees are SIPp's (scripts/sipp/callee-campaign-mix.xml: the
/// number's last digit picks silent, person or machine).
@Suite(.serialized, .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")))
struct CallAnsweredByTests {
    static let branching = """
        ivr: greet
        nodes:
          who:
            - branch:
                - if: answered_by == "machine"
                  then: machine
                - if: answered_by == "human"
                  then: person
                - else: nobody
          machine: hangup
          person: hangup
          nobody: hangup

        """

    static let plain = """
        ivr: greet
        nodes:
          bye: hangup

        """

    /// Runs `ivrc call` to `number` at the SIPp callee; the call's record.
    static func call(_ flow: String, number: String, callee: CampaignCallee, folder: TemporaryFolder) async throws -> [String: Any] {
        let binary = try #require(CampaignSIPpTests.ivrcBinary, "build the ivrc executable first (swift build)")
        let file = folder.file("greet-\(UUID().uuidString.prefix(8)).yaml")
        try flow.write(toFile: file, atomically: true, encoding: .utf8)
        let records = folder.file("records-\(number).jsonl")
        let run = try await runProcess(binary, [
            "call", file, "--flow", "greet", "--to", "sip:\(number)@127.0.0.1:\(callee.port)", "--records", records,
            "--tts", "none", "--rtp-ports", CampaignCallee.nextRTPPorts(),
        ])
        #expect(run.status == 0, "ivrc call: \(run.stderr)")
        let line = try #require((try? String(contentsOfFile: records, encoding: .utf8))?.split(separator: "\n").last, "no record: \(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func aFlowReadingAnsweredByTakesTheVerdictsBranch() async throws {
        let folder = try TemporaryFolder()
        let callee = try CampaignCallee(folder: folder.path)
        defer { callee.stop() }
        #expect(await callee.listening(), "SIPp did not start")
        // The last digit: 6 a machine (a greeting, then a beep), 5 a person ("hello", then silence), 1 silent.
        for (number, verdict) in [("+15550000016", "machine"), ("+15550000025", "human"), ("+15550000031", "unknown")] {
            let record = try await Self.call(Self.branching, number: number, callee: callee, folder: folder)
            #expect(record["answeredBy"] as? String == verdict, "\(number): \(record)")
            let path = record["path"] as? [String] ?? []
            let node = verdict == "human" ? "person" : verdict == "machine" ? "machine" : "nobody"
            #expect(path.last == node, "\(number): path \(path)")
        }
    }

    @Test func aFlowThatDoesNotReadItStartsAtOnceWithoutAVerdict() async throws {
        let folder = try TemporaryFolder()
        let callee = try CampaignCallee(folder: folder.path)
        defer { callee.stop() }
        #expect(await callee.listening(), "SIPp did not start")
        let record = try await Self.call(Self.plain, number: "+15550000046", callee: callee, folder: folder)
        #expect(record["answeredBy"] == nil, "\(record)")
        #expect(record["outcome"] as? String == "hangup", "\(record)")
    }
}
