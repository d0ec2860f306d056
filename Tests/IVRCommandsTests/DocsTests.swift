import ArgumentParser
import Foundation
import IVRTestSupport
import IVRSyntax
import Testing
@testable import IVRCommands

/// The documentation holds what it promises: every diagnostic code has a
/// wrong and a fixed example that really behave so under `ivrc check`, and
/// every subcommand's help shows examples (the field reference,
/// docs/reference.md, is checked by `ReferenceDocTests`).
@Suite struct DocsTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// `scripts/docs-diagnostics-test.sh` runs each ```yaml wrong block of
    /// docs/diagnostics.md through the real binary and expects exactly its
    /// section's code, and each ```yaml fixed block to check clean.
    @Test(.timeLimit(.minutes(5)))
    func everyDiagnosticHasAWrongAndAFixedExampleThatBehave() async throws {
        let run = try await runProcess("/bin/bash", [Self.root.appendingPathComponent("scripts/docs-diagnostics-test.sh").path,
                                                     try BinaryTests.binary().path],
                                       in: Self.root.path, mergingErrors: true)
        let text = run.stdout
        #expect(run.status == 0, "\(text)")
        let passed = Set(text.split(separator: "\n").compactMap { line in
            line.hasPrefix("ok ") ? line.split(separator: " ").dropFirst().first.map(String.init) : nil
        })
        let missing = DiagnosticCode.allCases.map(\.rawValue).filter { !passed.contains($0) }
        #expect(missing == [], "codes without working examples in docs/diagnostics.md:\n\(text)")
    }

    /// Users have the docs, the README and the schemas, not the documents
    /// ivrc was specified in: none of them may send a reader there.
    @Test func docsStandAlone() throws {
        let fm = FileManager.default
        let docs = try fm.contentsOfDirectory(atPath: Self.root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        let schemas = try fm.contentsOfDirectory(atPath: Self.root.appendingPathComponent("schema").path)
            .filter { $0.hasSuffix(".json") }.map { "schema/" + $0 }
        #expect(docs.count > 10)
        for file in ["README.md"] + docs + schemas {
            let text = try Self.read(file)
            for cited in ["flow-language.md", "toolchain.md"] {
                #expect(!text.contains(cited), "\(file) cites \(cited), which users do not have")
            }
        }
    }

    @Test func everyCodeHasASectionInCodeOrder() throws {
        let text = try Self.read("docs/diagnostics.md")
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("### ") }
            .compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
        #expect(headings == DiagnosticCode.allCases.map(\.rawValue))
    }

    /// `ivrc COMMAND --help` shows at least one example invocation of that command.
    @Test(arguments: IVRC.configuration.subcommands.map { "\($0._commandName)" })
    func subcommandHelpShowsExamples(_ name: String) throws {
        let command = try #require(IVRC.configuration.subcommands.first { $0._commandName == name })
        let help = IVRC.helpMessage(for: command, columns: 200)
        #expect(help.contains("Example"), "\(name) --help has no examples")
        #expect(help.contains("  ivrc \(name)"), "\(name) --help shows no 'ivrc \(name) ...' line")
    }

    /// The completion scripts swift-argument-parser generates, for the shells
    /// docs/cli-completion.md explains.
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(_ shell: String) async throws {
        let run = try await BinaryTests.run(["--generate-completion-script", shell], in: Self.root.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("graph") && run.stdout.contains("mermaid"))
        #expect(try Self.read("docs/cli-completion.md").contains("--generate-completion-script \(shell)"))
    }
}
