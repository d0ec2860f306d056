import Foundation
import IVRCommands
import Testing
@testable import IVRRuntime

@Suite struct FlowTestRunnerTests {
    static let flow = """
    ivr: acme-main
    nodes:
      main-menu:
        menu:
          prompt: {say: "For sales press 1. For support press 2."}
          options:
            "1": sales
            "2": support
          on-exhausted: goodbye
      sales:
        transfer: {sip: "sip:sales@pbx.acme.example"}
      support:
        - capture: {into: account, min: 6, max: 6, prompt: {say: "Account?"}}
        - webhook: {url: "https://api.acme.example/accounts/${account}", into: customer, on-error: goodbye}
        - branch:
            - if: customer.tier == "gold"
              then: {transfer: {extension: "200"}}
            - else: goodbye
      goodbye:
        - say: "Goodbye."
        - hangup
    """

    static let tests = """
    flow: acme-main
    cases:
      - name: sales
        input: ["1"]
        expect:
          outcome: transfer
          destination: {sip: "sip:sales@pbx.acme.example"}
      - name: silent caller is disconnected politely
        input: []
        expect: {outcome: hangup, heard: ["sales", "Goodbye"]}
      - name: gold account
        caller: "+15551234567"
        at: "2026-11-23T10:00:00-05:00"
        webhooks:
          "https://api.acme.example/accounts/": {status: 200, body: {tier: gold}}
        input: ["2", "123456"]
        expect: {outcome: transfer, destination: {extension: "200"}, visited: [main-menu, support], variables: {account: "123456"}}
    """

    static func project(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ivrc-tests-\(UUID().uuidString)").path
        for (path, text) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func passingSuitePrintsEachCaseCoverageAndCounts() async throws {
        let root = try Self.project(["flows/main.yaml": Self.flow, "tests/main.test.yaml": Self.tests])
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 0)
        #expect(out == """
        ok   tests/main.test.yaml: sales
        ok   tests/main.test.yaml: silent caller is disconnected politely
        ok   tests/main.test.yaml: gold account
        coverage: nodes 4/4, menu options 2/2
        3 passed, 0 failed

        """)
    }

    @Test func failingCaseShowsExpectedActualAndTranscript() async throws {
        let failing = """
        flow: acme-main
        cases:
          - name: wrong expectation
            input: ["2", "123456"]
            expect: {outcome: transfer, visited: [main-menu, sales]}
        """
        let root = try Self.project(["flows/main.yaml": Self.flow, "tests/x.test.yaml": failing])
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 1)
        #expect(out.contains("FAIL tests/x.test.yaml: wrong expectation\n"))
        #expect(out.contains("outcome: expected transfer, got hangup"))
        #expect(out.contains("visited: expected [main-menu, sales] in this order, got [main-menu, support, goodbye]"))
        #expect(out.contains("     | call to acme-main from"))
        #expect(out.contains("failed: no canned response"))
        #expect(out.contains("coverage: nodes 3/4, menu options 1/2; not covered: acme-main/sales, acme-main/main-menu '1'"))
        #expect(out.hasSuffix("\n0 passed, 1 failed\n"))
    }

    @Test func malformedTestFileGetsDiagnostics() async throws {
        let bad = """
        flow: acme-main
        cases:
          - name: typo
            inptu: ["1"]
            expect: {outcome: transfer}
          - name: bad token
            input: ["1x"]
            expect: {outcome: sideways}
        """
        let root = try Self.project(["flows/main.yaml": Self.flow, "tests/bad.test.yaml": bad])
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 1)
        #expect(out.contains("tests/bad.test.yaml:4:5: error[E003]: unknown field 'inptu'"))
        #expect(out.contains("tests/bad.test.yaml:7:13: error[E006]: invalid input token '1x'"))
        #expect(out.contains("FAIL tests/bad.test.yaml: malformed test file"))
    }

    /// A test file for a flow the project does not have: E202, with a suggestion.
    @Test func unknownFlowIsE202() async throws {
        let root = try Self.project(["flows/main.yaml": Self.flow,
                                     "tests/x.test.yaml": "flow: acme-mian\ncases:\n  - name: a\n    input: []\n    expect: {outcome: hangup}\n"])
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 1)
        #expect(out.contains("tests/x.test.yaml:1:7: error[E202]: test file names flow 'acme-mian', which is not in the project\n"))
        #expect(out.contains("= help: did you mean 'acme-main'?"))
        #expect(out.contains("FAIL tests/x.test.yaml: malformed test file (1 error)"))
    }

    @Test func unknownNamesInTestFilesGetASuggestionAndAFix() async throws {
        let text = """
        flow: acme-main
        cases:
          - name: typo
            inptu: ["1"]
            expect: {outcome: transfr}
        """
        let (_, diagnostics) = FlowTestParser.parse(Array(text.utf8), file: "t.test.yaml")
        let field = try #require(diagnostics.first { $0.code == .E003 })
        #expect(field.help == "did you mean 'input'?" && field.fix?.replacement == "input")
        #expect(field.fix.map { "\($0.range.start):\($0.range.end)" } == "4:5:4:10")
        let outcome = FlowTestParser.parse(Array(text.replacingOccurrences(of: "inptu", with: "input").utf8), file: "t.test.yaml").1
        let o = try #require(outcome.first { $0.code == .E006 })
        #expect(o.help == "did you mean 'transfer'?" && o.fix?.replacement == "transfer")
        // A test naming a flow that is not there suggests the one meant.
        let root = try Self.project(["flows/main.yaml": Self.flow,
                                     "tests/t.test.yaml": text.replacingOccurrences(of: "inptu", with: "input")
                                         .replacingOccurrences(of: "transfr", with: "transfer")
                                         .replacingOccurrences(of: "acme-main", with: "acme-mian")])
        let (out, _) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(out.contains("error[E202]: test file names flow 'acme-mian'") && out.contains("did you mean 'acme-main'?"), "\(out)")
    }

    /// `heard` moves forward through the words: the same words do not count
    /// twice, and two phrases of one prompt must come in their order.
    /// `visited` names nodes in order; others may come between.
    @Test func heardAndVisitedAreInOrder() async throws {
        let flow = "ivr: hr\nstart: intro\nnodes:\n  intro: {goto: a}\n  a: [{say: \"Welcome. Goodbye.\"}, {say: \"Welcome again.\"}, hangup]\n"
        func outcome(_ expect: String) async throws -> Int32 {
            let tests = "flow: hr\ncases:\n  - name: c\n    input: []\n    expect: \(expect)\n"
            let root = try Self.project(["flows/hr.yaml": flow, "tests/hr.test.yaml": tests])
            return await FlowTestRunner.run(paths: ["."], currentDirectory: root).exitCode
        }
        #expect(try await outcome(#"{heard: ["Welcome", "Goodbye", "Welcome again"]}"#) == 0)
        #expect(try await outcome(#"{heard: ["Welcome", "Welcome"]}"#) == 0)  // heard twice
        #expect(try await outcome(#"{heard: ["Goodbye", "Welcome"]}"#) == 0)  // the second prompt's
        #expect(try await outcome(#"{heard: ["Goodbye", "Welcome", "Welcome"]}"#) == 1)
        #expect(try await outcome(#"{heard: ["Goodbye", "Welcome."]}"#) == 1)  // "Welcome." only before
        #expect(try await outcome(#"{heard: ["again", "Goodbye"]}"#) == 1)
        #expect(try await outcome("{visited: [intro, a]}") == 0)
        #expect(try await outcome("{visited: [a]}") == 0)
        #expect(try await outcome("{visited: [a, intro]}") == 1)
        #expect(try await outcome("{visited: [intro, a, a]}") == 1)
        #expect(FlowTestSuite.appearsInOrder([], in: ["x"]))
        #expect(!FlowTestSuite.appearsInOrder(["x"], in: []))
    }

    @Test func parserReadsEveryField() {
        let (file, diagnostics) = FlowTestParser.parse(Array(Self.tests.utf8), file: "t.test.yaml")
        #expect(diagnostics.isEmpty)
        #expect(file?.flow.value == "acme-main")
        #expect(file?.cases.count == 3)
        let gold = file?.cases[2]
        #expect(gold?.input == [.keys("2"), .keys("123456")])
        #expect(gold?.caller == "+15551234567")
        #expect(gold?.webhooks.first?.prefix == "https://api.acme.example/accounts/")
        #expect(gold?.webhooks.first.map { String(decoding: $0.response.body, as: UTF8.self) } == #"{"tier":"gold"}"#)
        #expect(gold?.expect.visited == ["main-menu", "support"])
    }
}
