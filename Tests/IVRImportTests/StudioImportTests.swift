import Foundation
import IVRCommands
import Testing
@testable import IVRImport

/// `ivrc import studio` on a flow written from Twilio's widget library
/// documentation: every listed widget, the round trip, Liquid, malformed files.
@Suite struct StudioImportTests {
    static func imported() throws -> ImportResult {
        try FlowImporter.importFlow(.studio, text: try ImportHarness.fixture("studio-owl-bank.json"))
    }

    @Test func everyWidgetTypeIsMapped() throws {
        let yaml = try Self.imported().yaml
        #expect(yaml.hasPrefix("# Imported by `ivrc import studio`"))
        #expect(yaml.contains("ivr: owl-bank\n"))
        // say-play with voice and language; gather + split -> menu; gather -> capture.
        #expect(yaml.contains("welcome:\n    - say: {text: Thanks for calling Owl Bank., voice: Polly.Joanna, language: en-US}\n    - goto: main_menu"))
        #expect(yaml.contains("\"1\": get_account\n        \"2\": agent_queue\n        \"3\": voicemail_intro\n        \"4\": connect_branch"))
        #expect(yaml.contains("attempts: 1\n      on-invalid: invalid_entry\n      on-timeout: goodbye"))
        #expect(!yaml.contains("menu_split"))
        #expect(yaml.contains("into: get_account_digits\n        max: 6\n        terminator: \"#\"\n        timeout: 8s"))
        // set-variables and Liquid; make-http-request; split-based-on -> branch.
        #expect(yaml.contains("- set: {account: \"${get_account_digits}\"}"))
        #expect(yaml.contains("url: \"https://api.owlbank.example/accounts/${account}\"\n        method: GET\n        into: lookup\n        on-error: agent_queue"))
        #expect(yaml.contains("- {if: 'lookup.tier == \"gold\"', then: vip_line}\n      - else: say_balance"))
        #expect(yaml.contains("say: \"Your balance is ${lookup.balance} dollars.\""))
        // connect-call-to (number, sip), enqueue-call, record-voicemail.
        #expect(yaml.contains("vip_line: {transfer: {number: \"+14155550100\", timeout: 20s, on-fail: agent_queue}}"))
        #expect(yaml.contains("connect_branch: {transfer: {sip: \"sip:branch@pbx.owlbank.example\", timeout: 30s}}"))
        #expect(yaml.contains("agent_queue: {transfer: {group: support, on-fail: voicemail_intro}}"))
        #expect(yaml.contains("into: record_message_recording\n        max: 2m\n        beep: true\n        finish-on: \"#\"\n        silence: 5s"))
        // A widget without an equivalent is a marked node.
        #expect(yaml.contains("# NOT IMPORTED: Studio send-message widget 'sms_followup' (line 139)."))
    }

    @Test func warningsNameTheirSourceLines() throws {
        #expect(try Self.imported().warnings == [
            ImportWarning(line: 139, "the send-message widget 'sms_followup' has no ivrc equivalent; node 'sms_followup' marks it")
        ])
    }

    @Test func roundTripChecksCleanAndEveryPathBehaves() async throws {
        let folder = try ImportHarness.project(flow: try Self.imported().yaml,
                                               tests: try ImportHarness.fixture("studio-owl-bank.test.yaml"))
        defer { folder.remove() }
        #expect(ImportHarness.checkCodes(folder) == [])
        let run = await ImportHarness.runTests(folder)
        #expect(run.exitCode == 0, "\(run.output)")
        #expect(run.output.contains("nodes 15/15, menu options 4/4, on-fail paths 2/2"), "\(run.output)")
    }

    @Test func liquidWithoutAnEquivalentIsKeptAndWarned() {
        var draft = FlowDraft(name: "x")
        let text = LiquidTemplates.text("Hi {{trigger.call.From}}, {{flow.variables.name | upcase}}{% if x %}",
                                        what: "say-play 'hi'", line: 7, into: &draft)
        #expect(text == "Hi ${caller}, [flow.variables.name | upcase]{% if x %}")
        #expect(draft.warnings.map(\.line) == [7, 7])
    }

    @Test(arguments: [
        ("{\"states\": [\n  {\"name\": \"a\", \"type\": \"say-play\",}\n]}", 2, "not valid JSON"),
        ("[1, 2, 3]", 1, "not a Twilio Studio flow"),
        ("{\"description\": \"x\"}", 1, "not a Twilio Studio flow"),
        ("{\"states\": [\n {\"name\": \"Trigger\", \"type\": \"trigger\", \"transitions\": [{\"event\": \"incomingCall\", \"next\": \"nowhere\"}]}\n]}", 2,
         "transition to 'nowhere', which names no state"),
        ("{\"states\": [\n {\"name\": \"Trigger\", \"type\": \"trigger\", \"transitions\": [{\"event\": \"incomingMessage\"}]}\n]}", 2,
         "no incomingCall transition"),
        ("{\"states\": [\n {\"type\": \"say-play\"}\n]}", 2, "needs a 'name'"),
        ("{\"states\": [\"x\" \"y\"]}", 1, "expected ',' or ']'"),
    ])
    func malformedFilesAreErrorsWithTheirPosition(_ text: String, _ line: Int, _ message: String) {
        #expect {
            _ = try FlowImporter.importFlow(.studio, text: text)
        } throws: { error in
            guard let error = error as? ImportError else { return false }
            return error.line == line && error.message.contains(message)
        }
    }

    @Test func theCommandRefusesAFileThatIsNotAFlow() throws {
        let folder = try ImportHarness.project(flow: "", tests: nil)
        defer { folder.remove() }
        try folder.write("flow.json", "{\n  \"states\": [\n    {\"name\": \"Trigger\", \"type\": \"trigger\"\n  ]\n}\n")
        let out = ImportRunner(format: .studio, currentDirectory: folder.path).run(file: "flow.json")
        #expect(out.exitCode == 1)
        #expect(out.stderr.hasPrefix("flow.json:4:3: error: not valid JSON: expected ',' or '}' in an object"), "\(out.stderr)")
    }

    /// A few thousand mutated definitions: each is imported (as YAML that reads back) or refused with a position, never a crash.
    @Test func mutatedFilesNeverCrash() throws {
        let source = try ImportHarness.fixture("studio-owl-bank.json")
        var refused = 0, imported = 0
        for text in ImportHarness.mutations(of: source, count: 600, seed: 21) {
            do {
                let yaml = try FlowImporter.importFlow(.studio, text: text).yaml
                #expect(ImportHarness.yamlProblems(yaml).isEmpty, "\(yaml)")
                imported += 1
            } catch {
                refused += 1
                #expect(error.line >= 1 && error.column >= 1)
            }
        }
        #expect(refused > 0 && imported > 0)
    }
}
