import Foundation
import Testing

/// The outputs README.md and docs/cli.md show are what the built `ivrc`
/// prints. Each shown output is a fenced block right after a marker
/// `<!-- output: ivrc ARGS -->` (invisible on GitHub); the test writes the
/// README's first flow, with the typo the README asks for ("change `X` to
/// `Y`"), into a temporary folder, runs `ivrc ARGS` there and compares
/// standard output with the block, exactly.
@Suite struct ReadmeExamplesTests {
    static let documents = ["README.md", "docs/cli.md"]

    struct Sample: Sendable, CustomStringConvertible {
        var document: String
        var arguments: [String]
        var expected: String
        var description: String { "\(document): ivrc \(arguments.joined(separator: " "))" }
    }

    /// The fenced blocks of `text`: the line before the opening fence and the lines inside.
    static func fencedBlocks(_ text: String) -> [(before: String, body: String)] {
        let lines = text.components(separatedBy: "\n")
        var blocks: [(String, String)] = []
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix("```") else { index += 1; continue }
            let before = index > 0 ? lines[index - 1] : ""
            var end = index + 1
            while end < lines.count, lines[end] != "```" { end += 1 }
            blocks.append((before, lines[(index + 1)..<min(end, lines.count)].joined(separator: "\n")))
            index = end + 1
        }
        return blocks
    }

    static func samples() -> [Sample] {
        documents.flatMap { document -> [Sample] in
            guard let text = try? DocsTests.read(document) else { return [] }
            return fencedBlocks(text).compactMap { before, body in
                guard before.hasPrefix("<!-- output: ivrc "), before.hasSuffix(" -->") else { return nil }
                let command = before.dropFirst("<!-- output: ivrc ".count).dropLast(" -->".count)
                return Sample(document: document, arguments: command.split(separator: " ").map(String.init),
                              expected: body + "\n")
            }
        }
    }

    /// The README's first flow (the block after "Save as `flows/main.yaml`")
    /// and the edit it suggests, as (find, replace).
    static func readmeProject() throws -> (flow: String, typo: (String, String)) {
        let readme = try DocsTests.read("README.md")
        let save = try #require(readme.range(of: "Save as `flows/main.yaml`:"), "README lost its first flow")
        let flowBlock = try #require(fencedBlocks(String(readme[save.upperBound...])).first)
        let pattern = try Regex("change\\s+`([^`]+)`\\s+to\\s+`([^`]+)`")
        let edit = try #require(readme.firstMatch(of: pattern), "README no longer says which typo to make")
        let find = String(try #require(edit.output[1].substring))
        let replace = String(try #require(edit.output[2].substring))
        return (flowBlock.body + "\n", (find, replace))
    }

    /// Every block that looks like ivrc's output has a marker, so no shown
    /// output escapes the comparison.
    @Test(arguments: documents)
    func everyShownOutputIsCompared(_ document: String) throws {
        let looksLikeOutput = try Regex("^(flows/\\S+:[0-9]+:[0-9]+: |::(error|warning) |\\{\"diagnostics\"|\\{\\n  \"\\$schema\")")
        for (before, body) in Self.fencedBlocks(try DocsTests.read(document)) where body.contains(looksLikeOutput) {
            #expect(before.hasPrefix("<!-- output: ivrc "), "\(document): an output block without a marker:\n\(body)")
        }
        #expect(Self.samples().contains { $0.document == document })
    }

    @Test func theSamplesCoverEveryFormat() {
        let formats = Set(Self.samples().map { $0.arguments.drop { $0 != "--format" }.dropFirst().first ?? "human" })
        #expect(formats == ["human", "json", "sarif", "github"])
    }

    @Test(.timeLimit(.minutes(2)), arguments: samples())
    func shownOutputIsTheRealOutput(_ sample: Sample) async throws {
        let (flow, typo) = try Self.readmeProject()
        #expect(flow.components(separatedBy: typo.0).count == 2, "the flow must hold '\(typo.0)' exactly once")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("flows/main.yaml", flow.replacingOccurrences(of: typo.0, with: typo.1))
        let run = try await BinaryTests.run(sample.arguments, in: folder.path)
        #expect(run.status == 1)
        #expect(run.stdout == sample.expected, "\(sample) prints:\n\(run.stdout)")
    }

    /// Before the typo, the README says the flow checks clean, in these words.
    @Test(.timeLimit(.minutes(2)))
    func theFirstFlowChecksCleanAsTheReadmeSays() async throws {
        let (flow, _) = try Self.readmeProject()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("flows/main.yaml", flow)
        let run = try await BinaryTests.run(["check", "flows/"], in: folder.path)
        #expect(run.status == 0)
        #expect(run.stdout == "0 errors, 0 warnings in 1 file\n")
        #expect(try DocsTests.read("README.md").contains("It checks clean (`0 errors, 0 warnings in 1 file`)"))
    }
}
