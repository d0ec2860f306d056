import Foundation
import IVRCommands
import Testing
@testable import IVRImport

/// `ivrc import freeswitch` on menus written from the mod_dptools IVR menu
/// documentation: every construct, the round trip through check and test,
/// warnings with their lines, and malformed files.
@Suite struct FreeSWITCHImportTests {
    static func imported(_ fixture: String) throws -> ImportResult {
        try FlowImporter.importFlow(.freeswitch, text: try ImportHarness.fixture(fixture))
    }

    @Test func everyMenuAttributeAndEntryActionIsMapped() throws {
        let yaml = try Self.imported("freeswitch-acme.xml").yaml
        // greet-long, greet-short, invalid-sound, exit-sound (say: prompts), tts-voice.
        #expect(yaml.contains("voice: slt"))
        #expect(yaml.contains("prompt:\n        say: Welcome to Acme."))
        #expect(yaml.contains("short-prompt:\n        say: \"Press 1 for sales, 2 for support"))
        #expect(yaml.contains("on-invalid: {say: That was not a valid entry.}"))
        #expect(yaml.contains("exit:\n    - say: Thank you for calling Acme. Goodbye.\n    - hangup"))
        // timeout, inter-digit-timeout, max-failures/max-timeouts -> attempts.
        #expect(yaml.contains("timeout: 8s\n      inter-digit-timeout: 2s\n      attempts: 3"))
        #expect(yaml.contains("max-failures 3 and max-timeouts 2: one attempts counter for both here."))
        // Entries: bridge (gateway, user, sofia), conference, voicemail, play-sound, transfer, top, exit, sub, back.
        #expect(yaml.contains("\"1\": {transfer: {number: \"+442071234567\", on-fail: acme_main}}"))
        #expect(yaml.contains("\"2\": acme_support"))
        #expect(yaml.contains("\"3\": {transfer: {conference: \"3000\"}}"))
        #expect(yaml.contains("\"4\": {transfer: {app: voicemail}}"))
        #expect(yaml.contains("\"5\":\n          - say: We are at 1 Main Street.\n          - goto: repeat"))
        #expect(yaml.contains("\"0\": {transfer: {extension: \"1000\"}}"))
        #expect(yaml.contains("\"9\": repeat"))
        #expect(yaml.contains("\"*\": exit"))
        #expect(yaml.contains("dial-by-extension: {pattern: \"^20[0-4][0-9]$\", inter-digit-timeout: 2s}"))
        #expect(yaml.contains("\"1\": {transfer: {extension: \"2001\", on-fail: acme_support}}"))
        #expect(yaml.contains("\"2\": {transfer: {sip: \"sip:helpdesk@pbx.acme.example\", on-fail: acme_support}}"))
        #expect(yaml.contains("\"0\": top"))
        #expect(yaml.contains("\"*\": back"))
        #expect(yaml.contains("on-exhausted: back"))
        // The application without an equivalent is a marked node.
        #expect(yaml.contains("# NOT IMPORTED: FreeSWITCH menu 'acme_support' (line 38) runs 'lua support_survey.lua'"))
        #expect(yaml.contains("acme_support-hash-lua:\n    - hangup"))
    }

    @Test func withoutAnExitSoundTheEndIsAHangup() throws {
        let xml = """
            <menus>
              <menu name="small" greet-long="say:Press 1 for sales or star to leave." invalid-sound="say:No.">
                <entry action="menu-exec-app" digits="1" param="transfer +15551234567 XML default"/>
                <entry action="menu-exit" digits="*"/>
                <entry action="menu-exec-app" digits="2" param="transfer -both 2000 XML default"/>
              </menu>
            </menus>
            """
        let yaml = try FlowImporter.importFlow(.freeswitch, text: xml).yaml
        #expect(yaml.contains("\"1\": {transfer: {number: \"+15551234567\"}}\n        \"*\": hangup"))
        #expect(yaml.contains("on-exhausted: hangup"))
        #expect(!yaml.contains("exit:"))
        #expect(yaml.contains("\"2\": {transfer: {extension: \"2000\"}}"))
    }

    @Test func warningsNameTheirSourceLines() throws {
        let warnings = try Self.imported("freeswitch-acme.xml").warnings
        #expect(warnings.map(\.line) == [6, 38])
        #expect(warnings[0].message.contains("max-failures 3 and max-timeouts 2"))
        #expect(warnings[1].message.contains("'lua support_survey.lua' is not imported"))
        let demo = try Self.imported("freeswitch-demo.xml").warnings
        #expect(demo.contains { $0.line == 3 && $0.message.contains("phrase macro 'demo_ivr_main_menu'") })
        #expect(demo.contains { $0.line == 22 && $0.message.contains("'transfer 1234*256 enum' is not imported") })
        #expect(demo.contains { $0.line == 24 && $0.message.contains("dialplan context 'features'") })
    }

    @Test func acmeRoundTripChecksAndEveryOptionBehaves() async throws {
        let result = try Self.imported("freeswitch-acme.xml")
        let folder = try ImportHarness.project(flow: result.yaml, tests: try ImportHarness.fixture("freeswitch-acme.test.yaml"))
        defer { folder.remove() }
        // Deserved: FreeSWITCH too waits for more digits after 2 (digit-len 4, extensions 20xx);
        // the source's prompt never mentions '#'.
        #expect(ImportHarness.checkCodes(folder) == ["W108", "W105"])
        let run = await ImportHarness.runTests(folder)
        #expect(run.exitCode == 0, "\(run.output)")
        #expect(run.output.contains("menu options 13/13, on-fail paths 3/3"), "\(run.output)")
    }

    @Test func demoRoundTripChecksAndEveryOptionBehaves() async throws {
        let result = try Self.imported("freeswitch-demo.xml")
        let audio = ["phrases/demo_ivr_main_menu.wav", "phrases/demo_ivr_main_menu_short.wav", "phrases/demo_ivr_sub_menu.wav",
                     "phrases/demo_ivr_sub_menu_short.wav", "ivr/ivr-that_was_an_invalid_entry.wav", "voicemail/vm-goodbye.wav"]
        let folder = try ImportHarness.project(flow: result.yaml, tests: try ImportHarness.fixture("freeswitch-demo.test.yaml"),
                                               audio: audio)
        defer { folder.remove() }
        #expect(ImportHarness.checkCodes(folder) == ["W108"])
        let run = await ImportHarness.runTests(folder)
        #expect(run.exitCode == 0, "\(run.output)")
        #expect(run.output.contains("menu options 8/8"), "\(run.output)")
    }

    @Test func withoutTheAudioEachMissingFileIsReported() throws {
        let folder = try ImportHarness.project(flow: try Self.imported("freeswitch-demo.xml").yaml, tests: nil)
        defer { folder.remove() }
        #expect(ImportHarness.checkCodes(folder).filter { $0 == "E204" }.count == 7)
    }

    @Test(arguments: [
        ("<menus><menu name=\"a\">\n<entry action=\"menu-top\" digits=\"1\">\n</menus>", 3, "not well-formed XML"),
        ("<configuration name=\"ivr.conf\">\n  <settings/>\n</configuration>", 1, "no <menu> element"),
        ("<menus>\n<menu name=\"a\">\n<entry action=\"menu-sub\" digits=\"1\" param=\"missing\"/>\n</menu></menus>", 3,
         "menu-sub names no menu 'missing'"),
        ("<menus>\n<menu greet-long=\"say:hi\">\n</menu></menus>", 2, "a <menu> needs a name attribute"),
        ("<menus>\n<menu name=\"a\">\n<entry action=\"menu-dance\" digits=\"1\"/>\n</menu></menus>", 3, "unknown entry action 'menu-dance'"),
        ("{\"states\": []}", 1, "not well-formed XML"),
    ])
    func malformedFilesAreErrorsWithTheirPosition(_ text: String, _ line: Int, _ message: String) {
        #expect {
            _ = try FlowImporter.importFlow(.freeswitch, text: text)
        } throws: { error in
            guard let error = error as? ImportError else { return false }
            return error.line == line && error.message.contains(message)
        }
    }

    /// Entities that expand a billion times are refused by the XML reader, quickly and in little memory.
    @Test func aBillionLaughsIsRefused() {
        var doctype = "<!ENTITY l0 \"lol\">\n"
        for i in 1...9 { doctype += "<!ENTITY l\(i) \"" + String(repeating: "&l\(i - 1);", count: 10) + "\">\n" }
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE menus [\n" + doctype + "]>\n"
            + "<menus><menu name=\"a\" greet-long=\"say:&l9;\"><entry action=\"menu-top\" digits=\"1\"/></menu></menus>\n"
        #expect {
            _ = try FlowImporter.importFlow(.freeswitch, text: xml)
        } throws: { error in
            (error as? ImportError)?.message.contains("expand too far") == true
        }
    }

    @Test func theCommandWritesTheFlowAndListsWarnings() throws {
        let folder = try ImportHarness.project(flow: "", tests: nil)
        defer { folder.remove() }
        let out = ImportRunner(format: .freeswitch, name: "acme-main")
            .run(file: ImportHarness.fixtures + "freeswitch-acme.xml", output: folder.file("flows/imported.yaml"))
        #expect(out.exitCode == 0)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains("freeswitch-acme.xml:38: warning: menu 'acme_support': 'lua support_survey.lua'"))
        #expect(out.stderr.contains("(2 warnings); check it with: ivrc check"))
        let written = try String(contentsOfFile: folder.file("flows/imported.yaml"), encoding: .utf8)
        #expect(written.contains("ivr: acme-main\n"))
    }

    @Test func theCommandsExitCodes() throws {
        let folder = try ImportHarness.project(flow: "", tests: nil)
        defer { folder.remove() }
        try folder.write("bad.xml", "<menus>\n  <menu name=\"a\">\n</menus>\n")
        let bad = ImportRunner(format: .freeswitch, currentDirectory: folder.path).run(file: "bad.xml")
        #expect(bad.exitCode == 1)
        #expect(bad.stderr.hasPrefix("bad.xml:3:"), "\(bad.stderr)")
        #expect(bad.stderr.contains(": error: the file is not well-formed XML"))
        let missing = ImportRunner(format: .freeswitch, currentDirectory: folder.path).run(file: "none.xml")
        #expect(missing == CommandOutput(stderr: "error: cannot read none.xml\n", exitCode: 2))
        let unwritable = ImportRunner(format: .freeswitch)
            .run(file: ImportHarness.fixtures + "freeswitch-acme.xml", output: folder.file("no/such/folder/x.yaml"))
        #expect(unwritable.exitCode == 2)
    }

    /// A few thousand mutated files: each is imported (as YAML that reads back) or refused with a position, never a crash.
    @Test func mutatedFilesNeverCrash() throws {
        var refused = 0
        for fixture in ["freeswitch-acme.xml", "freeswitch-demo.xml"] {
            for text in ImportHarness.mutations(of: try ImportHarness.fixture(fixture), count: 400, seed: 20) {
                do {
                    let yaml = try FlowImporter.importFlow(.freeswitch, text: text).yaml
                    #expect(ImportHarness.yamlProblems(yaml).isEmpty, "\(yaml)")
                } catch {
                    refused += 1
                    #expect(error.line >= 1 && error.column >= 1)
                }
            }
        }
        #expect(refused > 0)
    }
}
