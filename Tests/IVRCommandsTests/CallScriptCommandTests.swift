import Foundation
import IVRTestSupport
import Testing
@testable import IVRCommands

/// The real binary: `ivrc test` shows a test file's problems as `ivrc check`
/// shows a flow's, and `ivrc run` takes simulate's `--at`, `--caller`,
/// `--webhook` and `--transfer`.
@Suite struct CallScriptCommandTests {
    static let desk = """
    ivr: desk
    nodes:
      welcome:
        branch: [{if: open("office"), then: desk}, {else: closed}]
      desk:
        - webhook: {url: "https://api.example/who", into: who, on-error: closed}
        - say: "Connecting ${caller} to ${who.name}."
        - transfer:
            group: front-desk
            on-fail: [{say: "Everyone is busy."}, hangup]
      closed:
        - say: "We are closed."
        - hangup
    hours:
      office: {timezone: America/Chicago, mon-fri: "08:00-17:00"}
    """

    @Test func testFileErrorsShowTheSourceLineAndACaret() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("flows/desk.yaml", Self.desk)
        try folder.write("tests/desk.test.yaml", """
        flow: desk
        cases:
          - name: open
            at: "2026-11-23T10:00:00-06:00"
            expect: {outcome: transfer, destinaton: {group: front-desk}}
        """)
        let run = try await BinaryTests.run(["test"], in: folder.path)
        #expect(run.status == 1)
        #expect(run.stdout.hasPrefix("""
        tests/desk.test.yaml:5:33: error[E003]: unknown field 'destinaton' in 'expect'
            5 |     expect: {outcome: transfer, destinaton: {group: front-desk}}
              |                                 ^^^^^^^^^^
           = note: 'expect' takes: outcome, destination, via, visited, heard, variables
           = help: did you mean 'destination'?
        FAIL tests/desk.test.yaml: malformed test file (1 error)

        """), "\(run.stdout)")
    }

    /// Keys come from standard input (here none: the caller hangs up at the
    /// first wait); this flow never waits, so the options decide everything.
    static func run(_ options: String, in folder: TemporaryFolder) async throws -> ProcessRun {
        try await runProcess("/bin/sh", ["-c", "'\(try BinaryTests.binary().path)' run . \(options) < /dev/null"],
                             in: folder.path, mergingErrors: true)
    }

    @Test func runTakesTheClockCallerWebhooksAndTransferResults() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("flows/desk.yaml", Self.desk)
        let busy = try await Self.run(#"--at 2026-11-23T10:00:00-06:00 --caller +15551234567 --webhook 'https://api.example/={"name":"Ann"}' --transfer front-desk=busy --no-speech"#,
                                      in: folder)
        #expect(busy.status == 0, "\(busy.stdout)")
        #expect(busy.stdout.contains("Calling desk from +15551234567 at 2026-11-23T10:00:00-06:00."), "\(busy.stdout)")
        #expect(busy.stdout.contains("""
          Connecting +15551234567 to Ann.
          ~ transferring to group front-desk
          ~ busy (--transfer): taking on-fail
          Everyone is busy.
        """), "\(busy.stdout)")
        // Sunday: closed, whatever the real date.
        let sunday = try await Self.run("--at 2026-11-29T10:00:00-06:00 --no-speech", in: folder)
        #expect(sunday.stdout.contains("  We are closed.\n"), "\(sunday.stdout)")
        let typo = try await Self.run("--transfer front-desk=bussy", in: folder)
        #expect(typo.status == 64)
        #expect(typo.stdout.contains("unknown transfer result 'bussy'") && typo.stdout.contains("did you mean 'busy'?"))
        let badTime = try await Self.run("--at tomorrow", in: folder)
        #expect(badTime.status == 64 && badTime.stdout.contains("error: invalid --at 'tomorrow'"))
    }

    /// One option group, so the two commands cannot drift apart.
    @Test(arguments: ["simulate", "run"])
    func simulateAndRunShareTheScriptOptions(_ name: String) throws {
        let command = try #require(IVRC.configuration.subcommands.first { $0._commandName == name })
        let help = IVRC.helpMessage(for: command, columns: 200)
        for option in ["--caller <caller>", "--at <at>", "--webhook <webhook>", "--transfer <transfer>"] {
            #expect(help.contains(option), "\(name): \(option)")
        }
    }
}
