import Foundation
import IVRCheck
import IVRSyntax
import Testing

/// Every diagnostic about an unknown name says "did you mean" when a
/// close name exists, with a fix-it that replaces exactly the name.
@Suite struct NameSuggestionTests {
    func check(_ files: [String: String]) throws -> [Diagnostic] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ivrc-names-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (path, text) in files {
            try FileManager.default.createDirectory(atPath: root + "/" + (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
        }
        let loaded = try ProjectLoader.load(paths: ["."], currentDirectory: root).get()
        return Checker.check(loaded)
    }

    static let flow = """
        ivr: main
        hours:
          support:
            timezone: Europe/Londn
            mon-fir: "09:00-17:00"
            monday: "09:00-10:00"
            timezon: UTC
        nodes:
          a:
            - sya: "Hello"
            - hangpu
          b:
            - hangup: {reason: x}
          c:
            menu:
              prompt: {say: "Press 1, 2 or star."}
              option: {"1": a}
              options: {"1": repaet, stra: b, "2": bb}
          d:
            capture: {var: x, prompt: {say: "Your number?"}}
          e:
            - say: {text: hi, voise: x}
              gotoo: a
            - webhook: {url: "https://x.example/", method: PSOT}
            - transfer: {ivr: mian}

        """

    /// "CODE line:col-line:col -> replacement" for each diagnostic that has a fix-it.
    func fixes(_ found: [Diagnostic]) -> [String] {
        found.compactMap { d in
            d.fix.map { f in
                "\(d.code.rawValue) \(f.range.start.line):\(f.range.start.column)-\(f.range.end.line):\(f.range.end.column) -> \(f.replacement)"
            }
        }
    }

    @Test func everyUnknownNameGetsASuggestionAndAFix() throws {
        let found = try check(["flows/main.yaml": Self.flow])
        #expect(fixes(found) == [
            "E405 4:15-4:27 -> Europe/London",      // time zone
            "E405 5:5-5:12 -> mon-fri",             // day range with a misspelt day
            "E405 6:5-6:11 -> mon",                 // a day's full name
            "E405 7:5-7:12 -> timezone",
            "E003 10:7-10:10 -> say",               // unknown step key
            "E005 11:7-11:13 -> hangup",            // a bare misspelt hangup
            "E003 17:7-17:13 -> options",           // a field meant by a near word
            "E201 18:22-18:28 -> repeat",           // a target near a built-in
            "E101 18:30-18:34 -> star",             // a menu key
            "E201 18:44-18:46 -> b",                // a target near a node
            "E003 20:15-20:18 -> into",
            "E003 22:23-22:28 -> voice",            // a field of a step
            "E003 23:7-23:12 -> goto",              // a key beside a step
            "E006 24:52-24:56 -> POST",             // webhook method
            "E202 25:23-25:27 -> main",             // a flow
        ])
        for d in found where d.fix != nil {
            #expect(d.help == "did you mean '\(d.fix?.replacement ?? "")'?", "\(d.code): \(d.help ?? "")")
        }
    }

    @Test func hangupWithFieldsSaysHangupTakesNone() throws {
        let found = try check(["flows/main.yaml": Self.flow])
        let d = try #require(found.first { $0.code == .E003 && $0.message.contains("'reason'") })
        #expect(d.notes.map(\.message) == ["hangup takes no fields"])
        #expect(d.help == "hangup is written as a bare 'hangup' step (or 'hangup: {}')")
        #expect(d.fix == nil)
    }

    @Test func namesNeedingQuotesAreQuotedInTheFix() throws {
        let flow = """
            ivr: main
            nodes:
              a:
                goto: "main menu"
              "main menus":
                - hangup

            """
        let d = try #require(try check(["flows/main.yaml": flow]).first { $0.code == .E201 })
        #expect(d.fix?.replacement == "\"main menus\"")
        #expect(Diagnostic.FixIt.scalar("null") == "\"null\"" && Diagnostic.FixIt.scalar("sales-2") == "sales-2")
    }

    @Test func farNamesGetNoFix() throws {
        let flow = """
            ivr: main
            nodes:
              a:
                - frobnicate: x
                - goto: somewhere-else

            """
        let found = try check(["flows/main.yaml": flow])
        let step = try #require(found.first { $0.code == .E003 })
        #expect(step.fix == nil && step.help?.hasPrefix("a step starts with one of") == true)
        let target = try #require(found.first { $0.code == .E201 })
        #expect(target.fix == nil)
    }
}
