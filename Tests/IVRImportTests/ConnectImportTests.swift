import Foundation
import IVRCommands
import Testing
@testable import IVRImport

/// `ivrc import connect` on a contact flow written from the Amazon Connect
/// flow language documentation: every listed action, the round trip, malformed files.
@Suite struct ConnectImportTests {
    static func imported() throws -> ImportResult {
        try FlowImporter.importFlow(.connect, text: try ImportHarness.fixture("connect-example-air.json"))
    }

    @Test func everyActionTypeIsMapped() throws {
        let yaml = try Self.imported().yaml
        #expect(yaml.contains("ivr: example-air\ndescription: Example Air\n"))
        // MessageParticipant; CheckHoursOfOperation with its placeholder schedule.
        #expect(yaml.contains("welcome:\n    - say: Thank you for calling Example Air.\n    - goto: check-hours"))
        #expect(yaml.contains("hours: {business-hours: {timezone: UTC, mon-fri: \"09:00-17:00\"}}"))
        #expect(yaml.contains("- {if: 'open(\"business-hours\")', then: main-menu}\n      - else: closed-message"))
        // GetParticipantInput as a menu and as a capture (StoreInput).
        #expect(yaml.contains("options: {\"1\": bookings-transfer, \"2\": ask-booking, \"0\": agent-transfer}"))
        #expect(yaml.contains("on-invalid: invalid-message\n      on-timeout: goodbye-message"))
        #expect(yaml.contains("into: stored_input\n        max: 6\n        terminator: \"#\"\n        timeout: 8s\n        attempts: 1\n        on-exhausted: goodbye-message"))
        // TransferParticipantToThirdParty, UpdateContactAttributes, InvokeLambdaFunction, Compare, DisconnectParticipant.
        #expect(yaml.contains("transfer: {number: \"+18005550123\", timeout: 30s, on-fail: agent-transfer}"))
        #expect(yaml.contains("- set: {booking: \"${stored_input}\"}"))
        #expect(yaml.contains("url: \"https://lambda.example/bookingstatus\"\n        method: POST\n        timeout: 3s\n        into: external"))
        #expect(yaml.contains("- {if: 'external.status == \"confirmed\"', then: say-confirmed}\n      - else: agent-transfer"))
        #expect(yaml.contains("say: \"Booking ${booking} is confirmed.\""))
        #expect(yaml.contains("disconnect-participant:\n    - hangup"))
        #expect(yaml.contains("# NOT IMPORTED: Amazon Connect StartOutboundChatContact action 'survey' (line 124)."))
    }

    @Test func warningsNameTheirSourceLines() throws {
        let warnings = try Self.imported().warnings
        #expect(warnings.map(\.line) == [12, 88, 124])
        #expect(warnings[0].message.contains("fill in the schedule 'business-hours'"))
        #expect(warnings[1].message.contains("the Lambda's logic stays in AWS"))
    }

    @Test func roundTripChecksAndEveryPathBehaves() async throws {
        let folder = try ImportHarness.project(flow: try Self.imported().yaml,
                                               tests: try ImportHarness.fixture("connect-example-air.test.yaml"))
        defer { folder.remove() }
        // Deserved: the source's 'survey' action is not reachable from its start either.
        #expect(ImportHarness.checkCodes(folder) == ["W207"])
        let run = await ImportHarness.runTests(folder)
        #expect(run.exitCode == 0, "\(run.output)")
        #expect(run.output.contains("menu options 3/3, on-fail paths 2/2"), "\(run.output)")
    }

    @Test(arguments: [
        ("{\"Actions\": [\n  {\"Identifier\": \"a\", \"Type\": \"MessageParticipant\"\n  \"Parameters\": {}}\n]}", 3, "not valid JSON"),
        ("{\"Version\": \"2019-10-30\"}", 1, "not an Amazon Connect flow"),
        ("{\"StartAction\": \"a\", \"Actions\": [\n {\"Identifier\": \"a\", \"Type\": \"MessageParticipant\",\n  \"Transitions\": {\"NextAction\": \"b\"}}\n]}",
         3, "transition to 'b', which names no action"),
        ("{\"StartAction\": \"z\",\n \"Actions\": [{\"Identifier\": \"a\", \"Type\": \"DisconnectParticipant\"}]}", 1, "StartAction 'z' names no action"),
        ("{\"Actions\": [{\"Identifier\": \"a\", \"Type\": \"DisconnectParticipant\"}]}", 1, "no 'StartAction'"),
        ("{\"StartAction\": \"a\", \"Actions\": [\n {\"Type\": \"DisconnectParticipant\"}]}", 2, "needs an 'Identifier'"),
    ])
    func malformedFilesAreErrorsWithTheirPosition(_ text: String, _ line: Int, _ message: String) {
        #expect {
            _ = try FlowImporter.importFlow(.connect, text: text)
        } throws: { error in
            guard let error = error as? ImportError else { return false }
            return error.line == line && error.message.contains(message)
        }
    }

    /// A few thousand mutated flows: each is imported (as YAML that reads back) or refused with a position, never a crash.
    @Test func mutatedFilesNeverCrash() throws {
        let source = try ImportHarness.fixture("connect-example-air.json")
        var refused = 0, imported = 0
        for text in ImportHarness.mutations(of: source, count: 600, seed: 22) {
            do {
                let yaml = try FlowImporter.importFlow(.connect, text: text).yaml
                #expect(ImportHarness.yamlProblems(yaml).isEmpty, "\(yaml)")
                imported += 1
            } catch {
                refused += 1
                #expect(error.line >= 1 && error.column >= 1)
            }
        }
        #expect(refused > 0 && imported > 0)
    }

    /// A JSON file given as the wrong format is refused, not imported as something else.
    @Test func aFileOfAnotherFormatIsRefused() throws {
        let studio = try ImportHarness.fixture("studio-owl-bank.json")
        #expect(throws: ImportError.self) { try FlowImporter.importFlow(.connect, text: studio) }
        let connect = try ImportHarness.fixture("connect-example-air.json")
        #expect(throws: ImportError.self) { try FlowImporter.importFlow(.studio, text: connect) }
        #expect(throws: ImportError.self) { try FlowImporter.importFlow(.freeswitch, text: connect) }
    }
}
