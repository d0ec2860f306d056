import Foundation
import IVRCommands
import IVRSyntax
import IVRTestSupport

/// Fixtures, and projects made of an imported flow that `check` and `test` run on.
enum ImportHarness {
    static let fixtures = TestTools.repositoryRoot + "/Tests/IVRImportTests/Fixtures/"

    static func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: fixtures + name, encoding: .utf8)
    }

    /// A project folder: `flows/NAME.yaml`, its tests, a manifest with `audio: .`, and stand-in WAVs.
    static func project(flow yaml: String, tests: String?, audio: [String] = []) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder.file("flows"), withIntermediateDirectories: true)
        try fm.createDirectory(atPath: folder.file("tests"), withIntermediateDirectories: true)
        try folder.write("ivr-project.yaml", "name: imported\naudio: .\n")
        try folder.write("flows/imported.yaml", yaml)
        if let tests { try folder.write("tests/imported.test.yaml", tests) }
        let wav = try Data(contentsOf: URL(fileURLWithPath: TestTools.repositoryRoot + "/examples/freeswitch-demo-ivr/audio/welcome.wav"))
        for file in audio {
            let path = folder.file(file)
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try wav.write(to: URL(fileURLWithPath: path))
        }
        return folder
    }

    /// The codes `ivrc check` reports for the folder, in order.
    static func checkCodes(_ folder: TemporaryFolder) -> [String] {
        let out = CheckRunner(format: .human).run(paths: [folder.path])
        return out.stdout.matches(of: /(?:error|warning)\[([EW][0-9]{3})\]/).map { String($0.output.1) }
    }

    /// `ivrc test` on the folder: its output and exit code.
    static func runTests(_ folder: TemporaryFolder) async -> (output: String, exitCode: Int32) {
        await FlowTestRunner.run(paths: [folder.path])
    }

    /// What the flow parser says about an imported flow's YAML itself: a
    /// syntax error (E001), a duplicate key (E002) or unsupported YAML (E007).
    /// The importers' writer must never produce one, whatever the input.
    static func yamlProblems(_ yaml: String) -> [Diagnostic] {
        FlowParser.parseFlow(Array(yaml.utf8), file: "imported.yaml").diagnostics
            .filter { [.E001, .E002, .E007].contains($0.code) }
    }

    /// Random edits of `text`: bytes deleted, duplicated, replaced by syntax characters, lines swapped.
    static func mutations(of text: String, count: Int, seed: UInt64) -> [String] {
        var generator = SeededGenerator(seed: seed)
        let alphabet = Array("<>/\"=!{}[]:,.#*0123456789$^()\n ".utf8)
        let bytes = Array(text.utf8)
        return (0..<count).map { _ in
            var b = bytes
            for _ in 0..<Int.random(in: 1...4, using: &generator) where !b.isEmpty {
                let i = Int.random(in: 0..<b.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: b.remove(at: i)
                case 1: b.insert(b[i], at: i)
                case 2: b[i] = alphabet.randomElement(using: &generator) ?? 0x20
                default:
                    let j = Int.random(in: 0..<b.count, using: &generator)
                    b.replaceSubrange(min(i, j)..<max(i, j), with: [])
                }
            }
            return String(decoding: b, as: UTF8.self)
        }
    }
}
