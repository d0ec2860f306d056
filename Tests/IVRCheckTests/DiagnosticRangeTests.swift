import Foundation
import IVRCheck
import IVRSyntax
import Testing

/// Ranges of diagnostics raised on block mappings end where the mapping's
/// text ends, not at the next line (libyaml's end mark for a block
/// collection is where the next token starts).
@Suite struct DiagnosticRangeTests {
    func check(_ text: String) throws -> [Diagnostic] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ivrc-range-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try text.write(toFile: root + "/main.yaml", atomically: true, encoding: .utf8)
        let loaded = try ProjectLoader.load(paths: ["main.yaml"], currentDirectory: root).get()
        return Checker.check(loaded)
    }

    static let flow = """
        ivr: t
        nodes:
          a:
            - say: "hi"
            - goto: b
            - say:
                text: "never"
                voice: x

            # a comment between the dead steps
            - say: {text: "also never"}
          b:
            - say:
                text: "bye"

          c:
            - hangup

        """

    @Test func deadStepsCoverEveryDeadStepAndNoMore() throws {
        let w208 = try #require(try check(Self.flow).first { $0.code == .W208 })
        #expect(w208.message.contains("these 2 steps"))
        #expect((w208.range.start.line, w208.range.start.column) == (6, 7))
        // ends after the flow mapping's closing brace on line 11
        #expect((w208.range.end.line, w208.range.end.column) == (11, 32))
    }

    @Test func implicitHangupEndsAtTheLastStepsText() throws {
        let w304 = try #require(try check(Self.flow).first { $0.code == .W304 })
        #expect((w304.range.start.line, w304.range.start.column) == (13, 7))
        #expect((w304.range.end.line, w304.range.end.column) == (14, 20))
    }
}
