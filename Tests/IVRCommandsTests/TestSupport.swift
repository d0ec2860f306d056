import Foundation
import IVRCheck
import IVRSyntax
@testable import IVRCommands

/// A source range from 1-based line/column pairs (offsets follow lines, so
/// sorting by offset keeps line order).
func span(_ line: Int, _ column: Int, _ endLine: Int, _ endColumn: Int) -> SourceRange {
    SourceRange(
        start: SourceLocation(line: line, column: column, offset: line * 1000 + column),
        end: SourceLocation(line: endLine, column: endColumn, offset: endLine * 1000 + endColumn))
}

func sourceFile(_ path: String, _ text: String) -> SourceFile {
    let bytes = Array(text.utf8)
    return SourceFile(path: path, bytes: bytes, lines: LineTable(bytes))
}

/// The spec's example: line 14 of flows/main.yaml names a missing node.
enum Sample {
    static let mainText = (1...13).map { "# line \($0)" }.joined(separator: "\n")
        + "\n      \"1\": salse\n      \"2\": support\n"
    static let main = sourceFile("flows/main.yaml", mainText)

    static let unknownTarget = Diagnostic(
        .E201, "target 'salse' names no node", file: "flows/main.yaml", range: span(14, 12, 14, 17),
        help: "did you mean 'sales'?")

    static let implicitHangup = Diagnostic(
        .W304, "node 'support' ends without a jump; the call hangs up", file: "flows/main.yaml",
        range: span(15, 12, 15, 19), notes: [Diagnostic.Note("add 'hangup' to make it explicit")])

    static func report(strict: Bool = false) -> CheckReport {
        CheckReport(diagnostics: [unknownTarget, implicitHangup], sources: ["flows/main.yaml": main],
                    fileCount: 3, strict: strict)
    }
}

/// A fresh folder under the system's temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ivrc-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes a file, creating its folders.
    func write(_ relative: String, _ text: String) throws {
        try write(relative, bytes: Array(text.utf8))
    }

    func write(_ relative: String, bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A flow the checker should accept without a word.
let validFlow = """
    ivr: main
    nodes:
      welcome:
        - say: "Hello."
        - hangup

    """

/// A flow with a duplicate key (E002, from the YAML reader).
let duplicateKeyFlow = """
    ivr: dup
    nodes:
      a: hangup
      a: hangup

    """

/// A flow with a YAML syntax error (E001): an unquoted `*` key.
let syntaxErrorFlow = """
    ivr: broken
    nodes:
      m:
        menu:
          options:
            *: hangup

    """
