import IVRCheck
import IVRSyntax
import Testing
@testable import IVRCommands

@Suite struct HumanFormatterTests {
    @Test func printsTheSpecExampleAndASummary() {
        let out = HumanFormatter(color: false).format(Sample.report())
        #expect(out == """
            flows/main.yaml:14:12: error[E201]: target 'salse' names no node
               14 |       "1": salse
                  |            ^^^^^
               = help: did you mean 'sales'?

            flows/main.yaml:15:12: warning[W304]: node 'support' ends without a jump; the call hangs up
               15 |       "2": support
                  |            ^^^^^^^
               = note: add 'hangup' to make it explicit

            1 error, 1 warning in 3 files

            """)
    }

    @Test func strictTurnsWarningsIntoErrors() {
        let out = HumanFormatter(color: false).format(Sample.report(strict: true))
        #expect(out.contains("flows/main.yaml:15:12: error[W304]: node 'support'"))
        #expect(out.hasSuffix("\n2 errors, 0 warnings in 3 files\n"))
    }

    @Test func summaryWording() {
        #expect(CheckReport(diagnostics: [], fileCount: 1).summary == "0 errors, 0 warnings in 1 file")
        #expect(CheckReport(diagnostics: [], fileCount: 0).summary == "0 errors, 0 warnings in 0 files")
        #expect(CheckReport(diagnostics: [Sample.implicitHangup], fileCount: 2).summary
            == "0 errors, 1 warning in 2 files")
        let many = [Sample.unknownTarget, Sample.unknownTarget, Sample.implicitHangup]
        #expect(CheckReport(diagnostics: many, fileCount: 3).summary == "2 errors, 1 warning in 3 files")
        #expect(HumanFormatter(color: false).format(CheckReport(diagnostics: [], fileCount: 1))
            == "0 errors, 0 warnings in 1 file\n")
    }

    /// A 100 KB line is not printed whole: a window around the range, cut with "…".
    @Test func longLinesAreShownAsAWindowAroundTheRange() {
        let line = "  a: {say: \"" + String(repeating: "x", count: 1000) + "\", nosuch: 1}"
        let source = sourceFile("a.yaml", "nodes:\n" + line + "\n")
        let column = line.count - 9  // 1-based column of "nosuch"
        let d = Diagnostic(.E003, "unknown field 'nosuch'", file: "a.yaml", range: span(2, column, 2, column + 6))
        let out = HumanFormatter(color: false).format(CheckReport(diagnostics: [d], sources: ["a.yaml": source], fileCount: 1))
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[1].hasPrefix("    2 | …xxx") && lines[1].hasSuffix("\", nosuch: 1}"))
        #expect(lines[1].count < 200)
        // The carets still sit under 'nosuch'.
        let caret = Array(lines[2]).firstIndex(of: "^") ?? 0
        #expect(String(Array(lines[1])[caret...]).hasPrefix("nosuch"))
        #expect(lines[2].hasSuffix("^^^^^^"))
    }

    @Test func noteElsewhereShowsItsLocationAndLine() {
        let source = sourceFile("a.yaml", "nodes:\n  a: {goto: b}\n  b: {goto: a}\n")
        let d = Diagnostic(.E301, "a cycle that never waits for the caller", file: "a.yaml",
                           range: span(2, 3, 2, 4), notes: [Diagnostic.Note("the loop closes here", file: "a.yaml", range: span(3, 13, 3, 14))])
        let out = HumanFormatter(color: false).format(CheckReport(diagnostics: [d], sources: ["a.yaml": source], fileCount: 1))
        #expect(out == """
            a.yaml:2:3: error[E301]: a cycle that never waits for the caller
                2 |   a: {goto: b}
                  |   ^
               = note: a.yaml:3:13: the loop closes here
                3 |   b: {goto: a}
                  |             -

            1 error, 0 warnings in 1 file

            """)
    }

    @Test func multiLineRangeIsUnderlinedToTheEndOfItsFirstLine() {
        let source = sourceFile("m.yaml", "menu:\n  options: {\n    x: 1 }\n")
        let d = Diagnostic(.E106, "menu with no options", file: "m.yaml", range: span(2, 12, 3, 11))
        let out = HumanFormatter(color: false).block(d, sources: ["m.yaml": source])
        #expect(out == """
            m.yaml:2:12: error[E106]: menu with no options
                2 |   options: {
                  |            ^

            """)
    }

    @Test func emptyRangeGetsOneCaretAndTabsKeepAlignment() {
        let source = sourceFile("t.yaml", "\tkey: value\r\n")
        let d = Diagnostic(.E001, "YAML syntax error: tab", file: "t.yaml", range: span(1, 2, 1, 2))
        let out = HumanFormatter(color: false).block(d, sources: ["t.yaml": source])
        #expect(out == "t.yaml:1:2: error[E001]: YAML syntax error: tab\n    1 | \tkey: value\n      | \t^\n")
    }

    /// toolchain.md's block, exactly: header, excerpt, help. The fix-it's
    /// edit stays out of the human block (it is in JSON and SARIF).
    @Test func blockHasTheSpecShapeWithAFixIt() {
        let fix = Diagnostic.FixIt(message: "replace with 'sales'", range: span(14, 12, 14, 17), replacement: "sales")
        var d = Sample.unknownTarget
        d.fix = fix
        let out = HumanFormatter(color: false).block(d, sources: ["flows/main.yaml": Sample.main])
        #expect(out == """
            flows/main.yaml:14:12: error[E201]: target 'salse' names no node
               14 |       "1": salse
                  |            ^^^^^
               = help: did you mean 'sales'?

            """)
    }

    @Test func aFixItWithoutHelpIsShownAsHelp() {
        var d = Diagnostic(.E003, "unknown field 'timout'", file: "flows/main.yaml", range: span(14, 7, 14, 13))
        d.fix = Diagnostic.FixIt(message: "replace with 'timeout'", range: span(14, 7, 14, 13), replacement: "timeout")
        let out = HumanFormatter(color: false).block(d, sources: ["flows/main.yaml": Sample.main])
        #expect(out.hasSuffix("   = help: replace with 'timeout'\n"))
        #expect(!out.contains("fix"))
    }

    @Test func unknownSourceOrBlankLinePrintsNoExcerpt() {
        let d = Diagnostic(.E004, "the flow file is empty", file: "empty.yaml", range: .unknown)
        let empty = sourceFile("empty.yaml", "")
        #expect(HumanFormatter(color: false).block(d, sources: [:]) == "empty.yaml:1:1: error[E004]: the flow file is empty\n")
        #expect(HumanFormatter(color: false).block(d, sources: ["empty.yaml": empty])
            == "empty.yaml:1:1: error[E004]: the flow file is empty\n")
    }

    @Test func controlCharactersInSourceAreNotPrinted() {
        let source = sourceFile("c.yaml", "a: \u{1B}[31mred\n")
        let d = Diagnostic(.E005, "wrong type", file: "c.yaml", range: span(1, 4, 1, 5))
        let out = HumanFormatter(color: false).block(d, sources: ["c.yaml": source])
        #expect(!out.contains("\u{1B}"))
        #expect(out.contains("    1 | a: \u{FFFD}[31mred\n      |    ^\n"))
    }

    @Test func colourWrapsHeaderGutterAndCarets() {
        let out = HumanFormatter(color: true).format(Sample.report())
        #expect(out.contains("\u{1B}[1;31merror[E201]:\u{1B}[0m"))
        #expect(out.contains("\u{1B}[1;33mwarning[W304]:\u{1B}[0m"))
        #expect(out.contains("\u{1B}[1;34m   14 |\u{1B}[0m"))
        #expect(out.contains("\u{1B}[1;31m^^^^^\u{1B}[0m"))
        #expect(!HumanFormatter(color: false).format(Sample.report()).contains("\u{1B}"))
    }
}
