import Foundation
import IVRTestSupport
import Testing

/// IVRCommands holds every exit code: the stage modules return typed
/// results and errors, and `CommandFailure` turns those into a message and
/// an exit code.
@Suite struct ExitCodeOwnershipTests {
    /// The modules before IVRCommands in `ModuleDependencyTests.layers`.
    static var stages: [String] {
        Array(ModuleDependencyTests.layers.prefix { $0 != "IVRCommands" })
    }

    @Test func noStageModuleHasAnExitCode() throws {
        let word = try Regex(#"\b(exitCode|ExitCode)\b"#)
        for module in Self.stages {
            let root = TestTools.repositoryRoot + "/Sources/" + module
            for case let file as String in FileManager.default.enumerator(atPath: root) ?? .init()
            where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
                #expect(text.firstMatch(of: word) == nil, "Sources/\(module)/\(file) has an exit code; return a typed error instead")
            }
        }
    }
}
