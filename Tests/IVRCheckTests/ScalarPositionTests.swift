import Foundation
import IVRCheck
import IVRSyntax
import Testing

/// Diagnostics about something inside a scalar's value (a name in a
/// condition, a regex character, a `${name}`) point at it in the file, in
/// every scalar style: through escapes, quotes, folded lines and block
/// indentation.
@Suite struct ScalarPositionTests {
    func check(_ text: String) throws -> [Diagnostic] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ivrc-scalar-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try text.write(toFile: root + "/main.yaml", atomically: true, encoding: .utf8)
        let loaded = try ProjectLoader.load(paths: ["main.yaml"], currentDirectory: root).get()
        return Checker.check(loaded)
    }

    /// The one diagnostic with `code`, as "line:column-endLine:endColumn".
    func span(_ code: DiagnosticCode, in text: String) throws -> String {
        let found = try check(text).filter { $0.code == code }
        #expect(found.count == 1, "\(found.map(\.message))")
        let r = try #require(found.first).range
        return "\(r.start.line):\(r.start.column)-\(r.end.line):\(r.end.column)"
    }

    func text(_ r: SourceRange?) -> String {
        r.map { "\($0.start.line):\($0.start.column)-\($0.end.line):\($0.end.column)" } ?? "nil"
    }

    /// A flow whose one branch arm's `if` is `condition` (from line 6 on).
    func branch(_ condition: String) -> String {
        """
        ivr: t
        hours: {support: {timezone: Europe/London, mon-fri: "09:00-17:00"}}
        nodes:
          a:
            - branch:
                - if: \(condition)
                  then: hangup
            - hangup

        """
    }

    @Test func unknownFunctionInEachScalarStyle() throws {
        // `foo` after escapes on the line: column 36, not 34.
        #expect(try span(.E403, in: branch(#""caller == \"1\" and foo(1)""#)) == "6:36-6:39")
        #expect(try span(.E403, in: branch("'caller == ''1'' and foo(1)'")) == "6:36-6:39")
        // On the third line of folded, literal, plain and quoted multi-line scalars.
        let lines = "\n            caller == \"1\"\n            and tier == \"gold\"\n            and foo(1)"
        #expect(try span(.E403, in: branch(">-" + lines)) == "9:17-9:20")
        #expect(try span(.E403, in: branch("|" + lines)) == "9:17-9:20")
        #expect(try span(.E403, in: branch("caller == \"1\"\n            and tier == \"gold\"\n            and foo(1)"))
            == "8:17-8:20")
        #expect(try span(.E403, in: branch(#""caller == \"1\""# + "\n            and tier == \\\"gold\\\"\n            and foo(1)\""))
            == "8:17-8:20")
        #expect(try span(.E403, in: branch("'caller == ''1''\n            and tier == ''gold''\n            and foo(1)'"))
            == "8:17-8:20")
    }

    @Test func aNameWrittenWithAnEscapeIsReplacedWhole() throws {
        // `\x6cenn` reads `lenn`: the range and the fix-it cover the escape too.
        let d = try #require(try check(branch(#""\x6cenn(caller) > 3""#)).first { $0.code == .E403 })
        #expect(text(d.range) == "6:16-6:23")
        #expect(d.fix?.replacement == "len" && text(d.fix?.range) == "6:16-6:23")
    }

    @Test func syntaxAndTypeErrorsInsideScalars() throws {
        // E402 on the third line of a literal block.
        #expect(try span(.E402, in: branch("|\n            caller == \"1\"\n            and tier = \"gold\"")) == "8:22-8:23")
        // E401 after escaped quotes.
        #expect(try span(.E401, in: branch(#""tier == \"gold\" and len(caller)""#)) == "6:37-6:48")
    }

    @Test func unknownScheduleFixReplacesTheNameInsideBothQuotes() throws {
        let d = try #require(try check(branch("'open(''suport'')'")).first { $0.code == .E404 })
        #expect(text(d.range) == "6:21-6:31") // ''suport''
        #expect(d.fix?.replacement == "support" && text(d.fix?.range) == "6:23-6:29")
    }

    @Test func regexNotesPointAtTheCharacter() throws {
        // matches() in a double-quoted condition: the literal, and its `(` through `\"`.
        let d = try #require(try check(branch(#""matches(caller, \"1(?<=2)\")""#)).first { $0.code == .E406 })
        #expect(text(d.range) == "6:32-6:43")
        #expect(text(d.notes.first?.range) == "6:35-6:36")
        // A capture pattern with `\\`, and one folded over two lines.
        let quoted = """
            ivr: t
            nodes:
              a:
                - capture:
                    into: pin
                    pattern: "\\\\d{4}(?<=1)"
                - hangup

            """
        let e = try #require(try check(quoted).first { $0.code == .E406 })
        #expect(text(e.notes.first?.range) == "6:25-6:26")
        let folded = quoted.replacingOccurrences(of: "pattern: \"\\\\d{4}(?<=1)\"", with: "pattern: >-\n          \\d{4}\n          (?<=1)")
        let f = try #require(try check(folded).first { $0.code == .E406 })
        #expect(text(f.notes.first?.range) == "8:11-8:12")
    }

    /// A flow of `say` steps after a sensitive capture and a `set`.
    func says(_ lines: String) -> String {
        """
        ivr: t
        nodes:
          a:
            - set: {name: Bob}
            - capture: {into: pin, sensitive: true, prompt: {say: "Enter your PIN."}}
        \(lines)
            - hangup

        """
    }

    @Test func variableReadsPointAtTheReference() throws {
        #expect(try span(.E503, in: says(#"    - say: "Your PIN is ${pin}, thanks""#)) == "6:25-6:31")
        #expect(try span(.E503, in: says("    - say: >-\n        Your PIN\n        is ${pin}.")) == "8:12-8:18")
        let typo = try #require(try check(says("    - say: 'It''s ${nmae} here'")).first { $0.code == .E209 })
        #expect(text(typo.range) == "6:19-6:26")
        #expect(typo.help == "did you mean 'name'?")
        #expect(typo.fix?.replacement == "name" && text(typo.fix?.range) == "6:21-6:25")
        let block = try #require(try check(says("    - say: |\n        Hello.\n        Your balance is ${ balnce }.")).first {
            $0.code == .E209
        })
        #expect(text(block.range) == "8:25-8:36")
        // A condition's variable: the fix replaces the root of `nmae.x`.
        let condition = """
            ivr: t
            nodes:
              a:
                - set: {name: Bob}
                - branch:
                    - if: "nmae.x == \\"1\\""
                      then: hangup
                - hangup

            """
        let read = try #require(try check(condition).first { $0.code == .E209 })
        #expect(text(read.range) == "6:16-6:22" && read.fix?.replacement == "name" && text(read.fix?.range) == "6:16-6:20")
    }

    @Test func malformedReferencesPointAtThemselves() throws {
        #expect(try span(.E006, in: says(##"    - say: "Hi ${name""##)) == "6:16-6:18")
        #expect(try span(.E006, in: says(#"    - say: "Hi \"${1x}\"""#)) == "6:18-6:23")
    }
}
