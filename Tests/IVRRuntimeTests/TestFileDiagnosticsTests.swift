import Foundation
import IVRCommands
import IVRSyntax
import Testing
@testable import IVRRuntime

/// A test file's problems are all reported at once, with the flow front
/// end's codes, "did you mean" and fix-its.
@Suite struct TestFileDiagnosticsTests {
    static let bad = """
    flow: acme-mian
    at: "monday"
    cases:
      - name: one
        inptu: ["1"]
        expect: {outcome: transfer}
      - name: two
        input: ["2"]
        expect: {outcome: transfer, destinaton: {extension: "200"}}
      - name: three
        expect: {outcome: hungup, visited: [main-menu, salse], destination: {ivr: billing}}
      - input: ["1"]
        expect: {outcome: hangup}
      - name: five
        callee-input: ["1"]
    """

    static func codes(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\($0.range.start) \($0.code.rawValue)" }
    }

    @Test func everyProblemIsReported() throws {
        let (file, diagnostics) = FlowTestParser.parse(Array(Self.bad.utf8), file: "t.test.yaml")
        // Case five's `callee-input` is a field (the callee's keys of a bridged transfer); its missing `expect` is not.
        #expect(Self.codes(diagnostics) == ["2:5 E006", "5:5 E003", "9:33 E003", "11:23 E006", "11:74 E003", "12:5 E004",
                                           "14:5 E004"], "\(diagnostics.map(\.message))")
        let byPlace = Dictionary(diagnostics.map { ("\($0.range.start)", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byPlace["5:5"]?.fix?.replacement == "input" && byPlace["5:5"]?.help == "did you mean 'input'?")
        #expect(byPlace["9:33"]?.message == "unknown field 'destinaton' in 'expect'")
        #expect(byPlace["9:33"]?.fix?.replacement == "destination")
        #expect(byPlace["9:33"]?.notes.first?.message == "'expect' takes: outcome, destination, via, visited, heard, variables")
        #expect(byPlace["11:23"]?.fix?.replacement == "hangup")
        #expect(byPlace["11:74"]?.help?.hasPrefix("an ivr: transfer continues in the other flow") == true)
        #expect(byPlace["12:5"]?.message == "missing required field 'name'")
        // What could be read is kept, so the names it uses are checked too.
        #expect(file?.flow.value == "acme-mian" && file?.cases.count == 4)
    }

    /// The runner adds the names the project lacks: the flow (E202) and
    /// `visited` nodes (E201), each with a fix-it, and runs no case.
    @Test func unknownFlowAndNodesAreReportedWithTheRest() async throws {
        let root = try FlowTestRunnerTests.project(["flows/main.yaml": FlowTestRunnerTests.flow, "tests/bad.test.yaml": Self.bad])
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 1)
        #expect(out.contains("""
        tests/bad.test.yaml:1:7: error[E202]: test file names flow 'acme-mian', which is not in the project
           = help: did you mean 'acme-main'?

        """), "\(out)")
        #expect(out.contains("""
        tests/bad.test.yaml:11:52: error[E201]: case 'three' expects node 'salse' in 'visited', which no flow of the project has
           = help: did you mean 'sales'?

        """), "\(out)")
        #expect(out.contains("FAIL tests/bad.test.yaml: malformed test file (9 errors)\n"), "\(out)")
        #expect(!out.contains("ok ") && out.hasSuffix("0 passed, 1 failed\n"))
    }

    @Test func anEmptyOrScalarFileIsOneError() {
        #expect(Self.codes(FlowTestParser.parse(Array("".utf8), file: "t").diagnostics) == ["1:1 E004"])
        #expect(Self.codes(FlowTestParser.parse(Array("just text\n".utf8), file: "t").diagnostics) == ["1:1 E005"])
        #expect(Self.codes(FlowTestParser.parse(Array("flow: a\ncases: 3\n".utf8), file: "t").diagnostics) == ["2:8 E005"])
    }
}
