import Foundation
import Testing
@testable import IVRCommands

/// E204's note names the folders searched as a reader writes them: no
/// `/./`, no `folder/../`.
@Suite struct AudioNotePathTests {
    @Test func searchedFoldersAreNormalised() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("ivr-project.yaml", """
            name: main
            flows: ./flows/
            audio: ./prompts/../audio/
            """)
        try folder.write("flows/main.yaml", """
            ivr: main
            nodes:
              start:
                - play: welcom.wav
                - hangup
            """)
        try folder.write("audio/welcome.wav", bytes: SeveralProjectsTests.silentWAV)
        let out = CheckRunner(currentDirectory: folder.path).run(paths: ["./flows/../flows"])
        #expect(out.exitCode == 1)
        let note = try #require(out.stdout.split(separator: "\n").first { $0.contains("looked in:") }, "\(out.stdout)")
        #expect(!note.contains("/./") && !note.contains("/../") && !note.hasSuffix("/."), "\(note)")
        #expect(note.hasSuffix("= note: looked in: \(folder.path)/audio, \(folder.path), \(folder.path)/flows"), "\(note)")
    }
}
