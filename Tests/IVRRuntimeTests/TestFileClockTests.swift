import Foundation
import IVRCommands
import Testing
@testable import IVRRuntime

/// Business-hours tests that do not depend on the day they run: a test
/// file's `at:` and `caller:` hold for every case that gives none; a case
/// that reads `open()` on the real clock is named in a warning.
@Suite struct TestFileClockTests {
    static let flow = """
    ivr: desk
    hours:
      office: {timezone: America/Chicago, mon-fri: "08:00-17:00"}
    nodes:
      welcome:
        - say: "Hello ${caller}."
        - branch:
            - if: open("office")
              then: {say: "We are open."}
            - else: {say: "We are closed."}
        - hangup
      other:
        - say: "No clock here."
        - hangup
    """

    @Test func fileLevelAtAndCallerAreInheritedAndACaseOwnWins() async throws {
        let tests = """
        flow: desk
        at: "2026-11-23T10:00:00-06:00"
        caller: "+15551234567"
        cases:
          - name: Monday morning, the file's clock and caller
            expect: {heard: ["Hello +15551234567.", "We are open."]}
          - name: Sunday, the case's own
            at: "2026-11-29T10:00:00-06:00"
            caller: "+4420"
            expect: {heard: ["Hello +4420.", "We are closed."]}
        """
        let root = try FlowTestRunnerTests.project(["flows/desk.yaml": Self.flow, "tests/desk.test.yaml": tests])
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 0, "\(out)")
        #expect(!out.contains("warning:"), "\(out)")
        let (file, diagnostics) = FlowTestParser.parse(Array(tests.utf8), file: "t.test.yaml")
        #expect(diagnostics.isEmpty)
        #expect(file?.at?.value == "2026-11-23T10:00:00-06:00" && file?.caller?.value == "+15551234567")
        #expect(file?.cases.map { $0.at?.value } == ["2026-11-23T10:00:00-06:00", "2026-11-29T10:00:00-06:00"])
        #expect(file?.cases.map(\.caller) == ["+15551234567", "+4420"])
    }

    /// The warning names the case and the file (with the case's line); a
    /// case that never reads open() on the real clock gets none.
    @Test func aCaseOnTheRealClockIsWarnedAbout() async throws {
        let tests = """
        flow: desk
        cases:
          - name: depends on today
            expect: {outcome: hangup}
          - name: pinned
            at: "2026-11-23T10:00:00-06:00"
            expect: {heard: ["We are open."]}
        """
        let root = try FlowTestRunnerTests.project(["flows/desk.yaml": Self.flow, "tests/desk.test.yaml": tests])
        let (out, code) = await FlowTestRunner.run(paths: ["."], currentDirectory: root)
        #expect(code == 0, "\(out)")
        #expect(out.contains("""
        ok   tests/desk.test.yaml: depends on today
        tests/desk.test.yaml:3:5: warning: case 'depends on today' reads open() with no 'at': it runs on the real clock, \
        so its result depends on the date and time the tests run
           = help: give the case (or the whole file) a time: at: "2026-11-23T10:00:00-05:00"
        ok   tests/desk.test.yaml: pinned

        """), "\(out)")
        #expect(out.components(separatedBy: "warning:").count == 2)
    }

    /// `open()` read only when it matters: `or` stops at a true left side.
    @Test func aConditionThatNeverReachesOpenDoesNotReadTheClock() async throws {
        let flow = """
        ivr: t
        hours:
          office: {timezone: UTC, mon-fri: "08:00-17:00"}
        nodes:
          a:
            - branch:
                - if: caller == "+1" or open("office")
                  then: {say: "In."}
            - hangup
        """
        let bundle = try Harness.bundle(flow)
        #expect(try await Harness.call(bundle, caller: "+1").readClock == false)
        #expect(try await Harness.call(bundle, caller: "+2").readClock == true)
    }
}
