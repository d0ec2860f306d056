import IVRSyntax
import Testing
@testable import IVRRuntime

/// E504 in a test file: a `password` written there (a canned webhook
/// response's login, say) is a secret committed with the project.
@Suite struct TestFilePasswordTests {
    @Test func aPasswordInATestFileIsE504() throws {
        let text = """
            flow: main
            cases:
              - name: one
                password: "t3st-secret"
                expect: {outcome: hangup}
            """
        let (_, diagnostics) = FlowTestParser.parse(Array(text.utf8), file: "t.test.yaml")
        let d = try #require(diagnostics.first { $0.code == .E504 }, "\(diagnostics)")
        #expect(d.range.start.line == 4 && d.range.start.column == 5)
        #expect(d.fix?.replacement == "password-env: SIP_PASSWORD")
        #expect(!diagnostics.contains { $0.code == .E003 }, "\(diagnostics)")
        #expect(!diagnostics.contains { ($0.message + ($0.help ?? "")).contains("t3st-secret") })
    }
}
