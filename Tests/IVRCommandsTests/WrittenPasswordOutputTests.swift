import Foundation
import IVRTestSupport
import Testing
@testable import IVRCommands

/// E504 as `check` prints it: every format names the problem and the fix,
/// and none repeats the password (the human excerpt shows `***`).
@Suite struct WrittenPasswordOutputTests {
    static let manifest = """
        name: acme
        sip:
          credentials:
            - {user: acme, password: "hunter2-in-flow-style"}
            - user: desk
              password: hunter2-block   # the desk phone's
        """

    @Test func noOutputFormatRepeatsThePassword() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("ivr-project.yaml", Self.manifest)
        try folder.write("main.yaml", validFlow)
        let human = CheckRunner(currentDirectory: folder.path).run(paths: [])
        #expect(human.exitCode == 1)
        #expect(human.stdout.contains("ivr-project.yaml:4:20: error[E504]: a password is written in"), "\(human.stdout)")
        #expect(human.stdout.contains("    4 |     - {user: acme, password: ***\n"), "\(human.stdout)")
        #expect(human.stdout.contains("    6 |       password: ***\n"), "\(human.stdout)")
        #expect(human.stdout.contains("password-env: SIP_PASSWORD"))
        for format in [OutputFormat.human, .json, .sarif, .github] {
            let out = CheckRunner(format: format, currentDirectory: folder.path).run(paths: [])
            #expect(out.stdout.contains("E504"), "\(format)")
            #expect(!out.stdout.contains("hunter2") && !out.stderr.contains("hunter2"), "\(format): \(out.stdout)")
        }
    }
}
