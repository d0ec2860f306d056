import Foundation
import IVRBytecode
import IVRCommands
import Testing
@testable import IVRRuntime

@Suite struct SimulateTests {
    static let main = """
    ivr: acme-main
    extension: "800"
    nodes:
      welcome:
        - play: {file: audio/welcome.wav, transcript: "Welcome to Acme."}
        - goto: main-menu
      main-menu:
        menu:
          prompt: {say: "For sales press 1. For your account press 2."}
          options:
            "1": sales
            "2": account
      sales:
        transfer: {sip: "sip:sales@pbx.acme.example"}
      account:
        - capture: {into: account, min: 6, max: 10, prompt: {say: "Account number?"}}
        - webhook:
            url: https://api.acme.example/accounts/${account}
            into: customer
            on-error: sales
        - transfer: {extension: "200"}
    """

    /// A silent 8 kHz mono 16-bit WAV (telephony-ready, so no W205).
    static var silentWAV: Data {
        var d = Data("RIFF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        u32(36 + 160)
        d.append(contentsOf: Array("WAVEfmt ".utf8))
        u32(16); u16(1); u16(1); u32(8000); u32(16000); u16(2); u16(16)
        d.append(contentsOf: Array("data".utf8))
        u32(160)
        d.append(Data(count: 160))
        return d
    }

    static func project(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ivrc-sim-\(UUID().uuidString)").path
        for (path, text) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let audio = URL(fileURLWithPath: root).appendingPathComponent("flows/audio")
        try FileManager.default.createDirectory(at: audio, withIntermediateDirectories: true)
        try silentWAV.write(to: audio.appendingPathComponent("welcome.wav"))
        return root
    }

    @Test func jsonHasTheToolchainShape() async throws {
        let root = try Self.project(["flows/main.yaml": Self.main])
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        o.input = "- 1"
        o.json = true
        let (out, code) = await SimulateRunner.run(o)
        #expect(code == 0)
        #expect(out == """
        {"flow":"acme-main","outcome":"transfer","destination":{"kind":"sip","value":"sip:sales@pbx.acme.example"},\
        "visited":["welcome","main-menu","sales"],"events":[\
        {"event":"play","file":"audio/welcome.wav","transcript":"Welcome to Acme.","node":"welcome"},\
        {"event":"say","text":"For sales press 1. For your account press 2.","node":"main-menu"},\
        {"event":"timeout","node":"main-menu"},\
        {"event":"say","text":"For sales press 1. For your account press 2.","node":"main-menu"},\
        {"event":"input","digits":"1","node":"main-menu"},\
        {"event":"transfer","kind":"sip","value":"sip:sales@pbx.acme.example","node":"sales"}],\
        "variables":{}}

        """)
    }

    /// A language menu's `set` shows in `variables`; the flow's own
    /// defaults do not (they are configuration, not call data).
    @Test func languageAndVoiceAppearOnlyWhenTheCallChangesThem() async throws {
        let flow = """
        ivr: lang
        language: en-US
        voice: en-US-female-1
        nodes:
          pick:
            menu:
              prompt: {say: "For English press 1. Para español oprima 2."}
              options:
                "1": english
                "2": spanish
          english:
            - say: Hello
            - hangup
          spanish:
            - set: {language: es-US, voice: es-US-female-1}
            - say: Hola
            - hangup
        """
        let root = try Self.project(["flows/lang.yaml": flow])
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        o.json = true
        o.input = "2"
        let spanish = await SimulateRunner.run(o)
        #expect(spanish.exitCode == 0)
        #expect(spanish.output.contains(#""variables":{"language":"es-US","voice":"es-US-female-1"}"#), "\(spanish.output)")
        o.input = "1"
        let english = await SimulateRunner.run(o)
        #expect(english.output.contains(#""variables":{}"#), "\(english.output)")
    }

    /// After an `ivr:` transfer into a flow without defaults, the first
    /// flow's language is still configuration, not call data.
    @Test func defaultsCarriedAcrossFlowsAreNotVariables() async throws {
        let root = try Self.project([
            "flows/a.yaml": "ivr: a\nlanguage: en-US\nnodes:\n  go:\n    transfer: {ivr: b}\n",
            "flows/b.yaml": "ivr: b\nnodes:\n  bye:\n    - say: Bye\n    - hangup\n",
        ])
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        o.json = true
        o.flow = "a"
        let r = await SimulateRunner.run(o)
        #expect(r.exitCode == 0)
        #expect(r.output.contains(#""variables":{}"#), "\(r.output)")
    }

    @Test func sourcesAndBundleGiveIdenticalResults() async throws {
        let root = try Self.project(["flows/main.yaml": Self.main])
        #expect(BuildRunner.run(paths: ["flows"], output: "acme.ivrb", strip: true, currentDirectory: root).exitCode == 0)
        for input in ["1", "2 123456#", "2 12#", "!", ""] {
            var fromSources = SimulateRunner.Options(paths: ["flows"])
            fromSources.currentDirectory = root
            fromSources.input = input
            fromSources.json = true
            fromSources.webhooks = ["https://api.acme.example/=@tier.json"]
            try #"{"tier": "gold"}"#.write(toFile: root + "/tier.json", atomically: true, encoding: .utf8)
            var fromBundle = fromSources
            fromBundle.paths = ["acme.ivrb"]
            fromBundle.flow = "800"
            let a = await SimulateRunner.run(fromSources)
            let b = await SimulateRunner.run(fromBundle)
            #expect(a.exitCode == 0)
            #expect(a.output == b.output)
        }
    }

    @Test func aBundleIsNotMixedWithSources() async throws {
        let root = try Self.project(["flows/main.yaml": Self.main])
        #expect(BuildRunner.run(paths: ["flows"], output: "acme.ivrb", strip: true, currentDirectory: root).exitCode == 0)
        var o = SimulateRunner.Options(paths: ["acme.ivrb", "flows"])
        o.currentDirectory = root
        let r = await SimulateRunner.run(o)
        #expect(r.exitCode == 64)
        #expect(r.output.contains("acme.ivrb is a bundle"))
    }

    /// A bundle under another name is still a bundle (known by its magic
    /// number), not YAML; a corrupted one is exit 2, as for `.ivrb`.
    @Test func aBundleUnderAnyNameRuns() async throws {
        let root = try Self.project(["flows/main.yaml": Self.main])
        #expect(BuildRunner.run(paths: ["flows"], output: "acme.bin", strip: true, currentDirectory: root).exitCode == 0)
        var o = SimulateRunner.Options(paths: ["acme.bin"])
        o.currentDirectory = root
        o.input = "1"
        o.json = true
        let r = await SimulateRunner.run(o)
        #expect(r.exitCode == 0)
        #expect(r.output.contains(#""outcome":"transfer""#))
        var bytes = try #require(FileManager.default.contents(atPath: root + "/acme.bin"))
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: root + "/acme.bin"))
        let corrupt = await SimulateRunner.run(o)
        #expect(corrupt.exitCode == 2)
        #expect(corrupt.output.contains("checksum"))
    }

    /// Regexes search: `matches(caller, "^\\+44")` tests how the number
    /// begins, so a UK caller reaches the UK desk and no one else does.
    @Test func matchesRoutesAUKCallerByItsPrefix() async throws {
        let flow = """
        ivr: routing
        nodes:
          start:
            - branch:
                - if: matches(caller, "^\\\\+44")
                  then: {transfer: {group: uk-desk}}
                - if: matches(caller, "0044")
                  then: {transfer: {group: uk-desk-dialled-in-full}}
                - else: {transfer: {group: us-desk}}
        """
        let root = try Self.project(["flows/main.yaml": flow])
        func destination(of caller: String) async -> String {
            var o = SimulateRunner.Options(paths: ["."])
            o.currentDirectory = root
            o.caller = caller
            o.json = true
            let (out, code) = await SimulateRunner.run(o)
            #expect(code == 0, "\(out)")
            return out
        }
        let uk = await destination(of: "+447700900123")
        #expect(uk.contains(#""destination":{"kind":"group","value":"uk-desk"}"#), "\(uk)")
        let us = await destination(of: "+15555550100")
        #expect(us.contains(#""destination":{"kind":"group","value":"us-desk"}"#), "\(us)")
        // "+44" elsewhere than at the start is no UK caller ...
        let other = await destination(of: "+1544700900")
        #expect(other.contains(#""destination":{"kind":"group","value":"us-desk"}"#), "\(other)")
        // ... and an unanchored regex finds its digits anywhere.
        let full = await destination(of: "+1011004477009")
        #expect(full.contains(#""destination":{"kind":"group","value":"uk-desk-dialled-in-full"}"#), "\(full)")
    }

    /// A 19-digit card number compares exactly with a number literal: as
    /// doubles, ...119 and ...120 are one value.
    @Test func longDigitStringsCompareExactly() async throws {
        let flow = """
        ivr: cards
        nodes:
          card:
            - capture: {prompt: {say: "Card number?"}, into: card, min: 16, max: 19, pattern: "^4[0-9]{15,18}$"}
            - branch:
                - if: card == 4111111111111111120
                  then: {transfer: {group: wrong-card}}
                - if: card > 4111111111111111118 and card < 4111111111111111120
                  then: {transfer: {group: right-card}}
                - else: {transfer: {group: no-card}}
        """
        let root = try Self.project(["flows/main.yaml": flow])
        func destination(keying card: String) async -> String {
            var o = SimulateRunner.Options(paths: ["."])
            o.currentDirectory = root
            o.input = card + "#"
            o.json = true
            return await SimulateRunner.run(o).output
        }
        let right = await destination(keying: "4111111111111111119")
        #expect(right.contains(#""value":"right-card""#), "\(right)")
        let wrong = await destination(keying: "4111111111111111120")
        #expect(wrong.contains(#""value":"wrong-card""#), "\(wrong)")
        let other = await destination(keying: "4111111111111111121")
        #expect(other.contains(#""value":"no-card""#), "\(other)")
    }

    /// A webhook's `into` variable is shown as the JSON object it holds;
    /// the fields the flow read keep their dotted names.
    @Test func webhookResultIsAnObjectInTheJSON() async throws {
        let root = try Self.project(["flows/main.yaml": Self.main])
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        o.input = "2 123456#"
        o.json = true
        o.webhooks = [#"https://api.acme.example/={"tier":"gold","name":{"first":"Ada"}}"#]
        let r = await SimulateRunner.run(o)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any])
        let variables = try #require(object["variables"] as? [String: Any])
        let customer = try #require(variables["customer"] as? [String: Any], "\(variables)")
        #expect(customer["tier"] as? String == "gold")
        #expect((customer["name"] as? [String: Any])?["first"] as? String == "Ada")
        #expect(variables["customer.tier"] == nil, "this flow reads no field")
        #expect(variables["account"] as? String == "123456")
    }

    @Test func webhookWithoutCannedAnswerTakesOnErrorAndSaysWhy() async throws {
        let root = try Self.project(["flows/main.yaml": Self.main])
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        o.input = "2 123456#"
        let (out, code) = await SimulateRunner.run(o)
        #expect(code == 0)
        #expect(out.contains("[account] webhook https://api.acme.example/accounts/123456 failed: no canned response"))
        #expect(out.contains("outcome: transfer (sip sip:sales@pbx.acme.example)"))
    }

    @Test func traceListsExecutedInstructions() async throws {
        let root = try Self.project(["flows/main.yaml": Self.main])
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        o.input = "1"
        o.trace = true
        let (out, code) = await SimulateRunner.run(o)
        #expect(code == 0)
        let lines = out.split(separator: "\n").filter { $0.hasPrefix("trace ") }
        #expect(lines.first == "trace acme-main@0  NODE \"welcome\"")
        #expect(lines.contains { $0.hasSuffix("ONKEY '1', sales") })
        #expect(lines.last?.contains("TRANSFER sip, \"sip:sales@pbx.acme.example\"") == true)
        #expect(out.contains("outcome: transfer"))
    }

    @Test func recordsAreAppendedAsJSONLines() async throws {
        let root = try Self.project(["flows/main.yaml": Self.main])
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        o.input = "1"
        o.records = "calls.jsonl"
        _ = await SimulateRunner.run(o)
        _ = await SimulateRunner.run(o)
        let text = try String(contentsOfFile: root + "/calls.jsonl", encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        let records = lines.compactMap { CallRecord.parse(line: $0) }
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0.flow == "acme-main" && $0.outcome == "transfer" && $0.backend == "simulate" })
        #expect(records.first?.path == ["welcome", "main-menu", "sales"])
        #expect(records.first?.inputs == [CallRecord.Input(node: "main-menu", digits: "1", kind: "menu")])
        #expect(records.first?.from == "+15555550100")
    }

    @Test func commandLineProblems() async throws {
        let root = try Self.project(["flows/main.yaml": Self.main, "flows/other.yaml": "ivr: other\nnodes:\n  a: hangup\n"])
        var o = SimulateRunner.Options(paths: ["."])
        o.currentDirectory = root
        let several = await SimulateRunner.run(o)
        #expect(several.exitCode == 64)
        #expect(several.output.contains("acme-main, other"))
        o.flow = "acme-main"
        o.input = "1 x"
        #expect(await SimulateRunner.run(o).exitCode == 64)
        o.input = "1"
        o.at = "yesterday"
        #expect(await SimulateRunner.run(o).exitCode == 64)
        var bad = SimulateRunner.Options(paths: ["missing.ivrb"])
        bad.currentDirectory = root
        #expect(await SimulateRunner.run(bad).exitCode == 2)
        try Data("IVRB garbage".utf8).write(to: URL(fileURLWithPath: root + "/bad.ivrb"))
        bad.paths = ["bad.ivrb"]
        let corrupt = await SimulateRunner.run(bad)
        #expect(corrupt.exitCode == 2)
        #expect(corrupt.output.contains("bundle"))
    }

    @Test func aFlowThatNeverWaitsEndsAsAnError() async throws {
        // A forged, verified bundle: NODE "f"; JUMP 0 (the checker's E301 would refuse the source).
        var flow = FlowImage(name: 0)
        flow.variables = (1...5).map { VariableInfo(name: $0, sensitive: false) }
        flow.code = [Opcode.node.rawValue, 0, Opcode.jump.rawValue, 0]
        let image = BundleImage(strings: ["f", "caller", "called", "flow", "language", "voice"], flows: [flow])
        let bundle = try Bundle.load(BundleWriter.write(image))
        let r = await CallDriver.run(bundle, flow: 0, backend: ScriptedBackend(tokens: []), caller: "x")
        #expect(r.outcome == .error)
    }
}
