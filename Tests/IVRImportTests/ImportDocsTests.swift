import Foundation
import IVRCommands
import IVRImport
import IVRTestSupport
import Testing

/// docs/import.md shows, for each format, an input, the flow `ivrc import`
/// writes and its warnings: they are what the command prints.
@Suite struct ImportDocsTests {
    static let files: [ImportFormat: String] = [
        .freeswitch: "ivr.conf.xml", .studio: "studio-flow.json", .connect: "connect-flow.json",
    ]

    /// The three fenced blocks after `<!-- import: FORMAT -->`: input, flow, standard error.
    static func example(_ format: ImportFormat) throws -> (input: String, yaml: String, stderr: String) {
        let text = try String(contentsOfFile: TestTools.repositoryRoot + "/docs/import.md", encoding: .utf8)
        let marker = try #require(text.range(of: "<!-- import: \(format.rawValue) -->"))
        let blocks = text[marker.upperBound...].matches(of: /```[a-z]*\n(.*?)\n```/.dotMatchesNewlines())
            .prefix(3).map { String($0.output.1) }
        try #require(blocks.count == 3)
        return (blocks[0], blocks[1], blocks[2])
    }

    @Test(arguments: ImportFormat.allCases)
    func theDocumentedOutputIsTheRealOutput(_ format: ImportFormat) throws {
        let example = try Self.example(format)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try #require(Self.files[format])
        try folder.write(file, example.input + "\n")
        let out = ImportRunner(format: format, currentDirectory: folder.path).run(file: file)
        #expect(out.exitCode == 0)
        #expect(out.stdout == example.yaml + "\n")
        #expect(out.stderr == example.stderr + "\n")
    }
}
