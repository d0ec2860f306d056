import Foundation
import IVRTestSupport
import Testing

/// A campaign through a trunk that challenges (SIPp, scripts/sipp/
/// callee-challenges.xml: 401 with qop=auth, then 486 to the INVITE whose
/// Authorization its own digest code accepts for acme / s3cret-Pa55): the
/// campaign answers the challenge with the manifest's credential, and
/// neither the password nor any Authorization value appears in its
/// output, journal or records.
@Suite(.serialized, .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")))
struct CampaignSecretsTests {
    static let password = "s3cret-Pa55"

    @Test func theChallengeIsAnsweredAndNoSecretIsWritten() async throws {
        let binary = try #require(CampaignSIPpTests.ivrcBinary, "build the ivrc executable first (swift build)")
        let folder = try TemporaryFolder()
        try folder.write("ivr-project.yaml", """
            name: reminders
            sip:
              credentials:
                - realm: sipp.test
                  user: acme
                  password-env: CAMPAIGN_TRUNK_PASSWORD

            """)
        try CampaignSIPpTests.writeProject(folder)
        try folder.write("contacts.csv", "number,first_name\n+15550100022,Ann\n")
        let port = CampaignCallee.freeUDPPort()
        let sipp = Task {
            try await runProcess("/usr/bin/env", [
                "sipp", "-sf", TestTools.repositoryRoot + "/scripts/sipp/callee-challenges.xml", "-i", "127.0.0.1",
                "-p", String(port), "-mp", String(CampaignCallee.freeUDPPort()), "-cp", String(CampaignCallee.freeUDPPort()),
                "-m", "1", "-timeout", "120s", "-timeout_error", "-nostdin", "-trace_err", "-error_file", folder.file("sipp-errors.log"),
            ], in: folder.path, mergingErrors: true)
        }
        var listening = false
        for _ in 0..<600 where !listening {
            listening = !CampaignCallee.canBind(port)
            if !listening { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(listening, "SIPp did not start")
        var environment = ProcessInfo.processInfo.environment
        environment["CAMPAIGN_TRUNK_PASSWORD"] = Self.password
        let run = try await runProcess(binary, [
            "campaign", folder.path, "--flow", "reminder", "--contacts", folder.file("contacts.csv"),
            "--journal", folder.file("run.journal"), "--trunk", "127.0.0.1:\(port)", "--attempts", "1",
            "--records", folder.file("calls.jsonl"), "--progress", "json", "--tts", "none", "--rtp-ports", "20002-21998",
        ], in: folder.path, environment: environment)
        let callee = try await sipp.value
        #expect(callee.status == 0, "SIPp refused the Authorization (403) or timed out: \(callee.stdout.suffix(800))")
        let journal = (try? String(contentsOfFile: folder.file("run.journal"), encoding: .utf8)) ?? ""
        // SIPp answers 486 only to an INVITE with a valid Authorization.
        #expect(journal.contains("\"result\":\"busy\""), "\(journal)\n\(run.stderr)")
        let records = (try? String(contentsOfFile: folder.file("calls.jsonl"), encoding: .utf8)) ?? ""
        for (name, text) in [("stdout", run.stdout), ("stderr", run.stderr), ("journal", journal), ("records", records)] {
            #expect(!text.contains(Self.password), "the password is in the campaign's \(name)")
            #expect(!text.contains("response=\""), "an Authorization value is in the campaign's \(name)")
            #expect(!text.contains("Digest username"), "an Authorization header is in the campaign's \(name)")
        }
    }
}
