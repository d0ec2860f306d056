import Testing
import IVRSyntax
import IVRCheck

@Suite struct ExpressionTypeCheckerTests {
    let checker = ExpressionTypeChecker(file: "flows/main.yaml", schedules: ["support", "sales-hours"])

    func diagnostics(_ text: String, checker: ExpressionTypeChecker? = nil) throws -> [Diagnostic] {
        let map = ScalarSourceMap.verbatim(text, origin: .start)
        let e = try ExpressionParser.parse(map).get()
        return (checker ?? self.checker).check(condition: e, source: map)
    }

    /// The text a diagnostic's range covers, on a one-line condition.
    func covered(_ d: Diagnostic, in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let slice = scalars[(d.range.start.column - 1)..<(d.range.end.column - 1)]
        return String(String.UnicodeScalarView(slice))
    }

    @Test(arguments: [
        "tier == \"gold\"", "account == 7", "7 != account", "digits > 3", "digits >= \"10\"", "len(x) <= 4",
        "not open(\"support\")", "open('sales-hours') and tier == 'gold'", "starts_with(caller, \"+44\")",
        "matches(account, \"^[0-9]{6}$\")", "num(x) > 0", "num(3) == 3", "true", "false or x == ''",
        "not (a == 'b' or c != 'd')", "x == y", "true == false", "len(x) == num(y)",
    ])
    func validConditionsHaveNoDiagnostics(text: String) throws {
        #expect(try diagnostics(text).isEmpty, "\(text)")
    }

    /// (text, code, message fragment, the text the range covers)
    static let cases: [(String, DiagnosticCode, String, String)] = [
        ("tier", .E401, "a condition must be true or false, but 'tier' is a string", "tier"),
        ("len(x)", .E401, "is a number", "len(x)"),
        ("\"yes\"", .E401, "is a string", "\"yes\""),
        ("tier and x == 'a'", .E401, "'and' needs true/false, but 'tier' is a string", "tier"),
        ("x == 'a' or 3", .E401, "'or' needs true/false, but '3' is a number", "3"),
        ("not tier", .E401, "'not' needs true/false", "tier"),
        ("tier > \"gold\"", .E401, "'>' compares numbers, but '\"gold\"' is a string that is not a number", "\"gold\""),
        ("true < 3", .E401, "'<' compares numbers, but 'true' is true/false", "true"),
        ("x == true", .E401, "'==' compares a string with true/false", "x == true"),
        ("3 == \"abc\"", .E401, "which is not a number", "\"abc\""),
        ("len(42) > 1", .E401, "the first argument of len() must be a string, but '42' is a number", "42"),
        ("starts_with(caller, 44)", .E401, "the second argument of starts_with()", "44"),
        ("starts_with(x == 'a', 'b')", .E401, "is true/false", "x == 'a'"),
        ("lenght(x) > 3", .E403, "unknown function 'lenght'", "lenght"),
        ("len(x, y) > 3", .E403, "len() takes 1 argument, but 2 were given", "len(x, y)"),
        ("open() ", .E403, "open() takes 1 argument, but 0 were given", "open()"),
        ("starts_with(x)", .E403, "takes 2 arguments, but 1 was given", "starts_with(x)"),
        ("open(\"suport\")", .E404, "no business-hours schedule named 'suport'", "\"suport\""),
        ("open(name)", .E404, "open() needs a schedule name in quotes", "name"),
        ("matches(x, \"[0-9\")", .E406, "invalid regex: missing ']'", "\"[0-9\""),
        ("matches(x, \"(a)\\1\")", .E406, "backreferences", "\"(a)\\1\""),
        ("matches(x, pattern)", .E406, "must be a string literal", "pattern"),
    ]

    @Test func reportsEachErrorWithItsCodeAndRange() throws {
        for (text, code, fragment, target) in Self.cases {
            let found = try diagnostics(text)
            guard found.count == 1, let d = found.first else {
                Issue.record("\(text): expected one diagnostic, got \(found.map(\.message))")
                continue
            }
            #expect(d.code == code, "\(text): \(d.code)")
            #expect(d.message.contains(fragment), "\(text): \(d.message)")
            #expect(covered(d, in: text) == target, "\(text): covers \(covered(d, in: text))")
            #expect(d.file == "flows/main.yaml")
        }
    }

    @Test func unknownFunctionSuggestsTheClosestName() throws {
        let d = try #require(try diagnostics("startswith(caller, '+1')").first)
        #expect(d.help == "did you mean 'starts_with'?")
        #expect(d.fix?.replacement == "starts_with")
        let far = try #require(try diagnostics("frobnicate(x)").first)
        #expect(far.help == "the functions are open, len, starts_with, matches, num")
        #expect(far.fix == nil)
    }

    @Test func unknownScheduleSuggestsOrListsSchedules() throws {
        let close = try #require(try diagnostics("open('suport')").first)
        #expect(close.help == "did you mean 'support'?")
        // The fix replaces the name inside its quotes: `open('suport')`, columns 7-12.
        #expect(close.fix?.replacement == "support")
        #expect(close.fix?.range.start.column == 7 && close.fix?.range.end.column == 13)
        let far = try #require(try diagnostics("open('weekend')").first)
        #expect(far.help == "the schedules are sales-hours, support")
        let none = ExpressionTypeChecker(file: "f.yaml", schedules: [])
        let empty = try #require(try diagnostics("open('support')", checker: none).first)
        #expect(empty.help?.contains("no 'hours'") == true)
    }

    @Test func invalidRegexNotePointsAtTheCharacter() throws {
        let d = try #require(try diagnostics("matches(x, \"ab*?\")").first)
        #expect(d.code == .E406)
        let note = try #require(d.notes.first?.range)
        // `?` is character 16 of the condition (column 16, offset 15).
        #expect(note.start.column == 16 && note.start.offset == 15 && note.end.column == 17)
        // Through an escape in the literal: `matches(x, "\"a**")`, the second `*` is column 17.
        let escaped = try #require(try diagnostics("matches(x, \"\\\"a**\")").first)
        let at = try #require(escaped.notes.first?.range)
        #expect(escaped.code == .E406 && at.start.column == 17 && at.end.column == 18)
    }

    @Test func errorsDoNotCascade() throws {
        // The bad regex is the only root cause; 'and' and the condition stay quiet.
        let found = try diagnostics("matches(x, \"(\") and lenn(y) > 2")
        #expect(found.map(\.code) == [.E406, .E403])
        // Independent errors on both sides are both reported, in source order.
        let both = try diagnostics("tier and tier")
        #expect(both.count == 2 && both[0].range.start.column == 1 && both[1].range.start.column == 10)
        // Arguments of an unknown function are still checked.
        let inner = try diagnostics("nope(open('x'))")
        #expect(inner.map(\.code) == [.E403, .E404])
    }
}
