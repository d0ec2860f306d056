import Foundation
import Testing

/// Every unsafe site of IVRSyntax (the YAML reader and the builder's view of
/// its tree) says why it is sound: a `// NOTE:` on the line, in the comment
/// just above it, or above a declaration that encloses it.
@Suite struct UnsafeCodeNotesTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/IVRSyntax")

    static var unsafeSite: Regex<Substring> { #/\bunsafe|Unsafe[A-Za-z]*Pointer|withUnsafe|Unmanaged|@unchecked Sendable|nonisolated\(unsafe\)|@exclusivity\(unchecked\)|loadUnaligned/# }

    static var files: [URL] {
        let manager = FileManager.default
        return ["", "Builder"].flatMap { folder -> [URL] in
            let directory = sources.appendingPathComponent(folder)
            let names = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.filter { $0.hasSuffix(".swift") }.sorted().map { directory.appendingPathComponent($0) }
        }
    }

    @Test func everyUnsafeSiteHasANote() throws {
        var sites = 0
        var bare: [String] = []
        for file in Self.files {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for (i, line) in lines.enumerated() where !Self.isComment(line) && line.contains(Self.unsafeSite) {
                sites += 1
                if !Self.isCovered(i, lines) { bare.append("\(file.lastPathComponent):\(i + 1): \(line.trimmingCharacters(in: .whitespaces))") }
            }
        }
        #expect(sites > 50, "the scan found the unsafe sites")
        #expect(bare.isEmpty, "unsafe code without a // NOTE: saying why it is sound:\n\(bare.joined(separator: "\n"))")
    }

    static func isComment(_ line: String) -> Bool { line.trimmingCharacters(in: .whitespaces).hasPrefix("//") }

    static func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }

    /// A NOTE on line `i`, in the comments just above it (attributes may stand
    /// between), or likewise for each declaration that encloses it.
    static func isCovered(_ i: Int, _ lines: [String]) -> Bool {
        var line = i
        while true {
            if hasNote(at: line, lines) { return true }
            // The enclosing declaration: the nearest line above that is less indented.
            let depth = indentation(lines[line])
            guard depth > 0, let outer = (0..<line).reversed().first(where: {
                let text = lines[$0].trimmingCharacters(in: .whitespaces)
                return !text.isEmpty && !text.hasPrefix("//") && indentation(lines[$0]) < depth
            }) else { return false }
            line = outer
        }
    }

    static func hasNote(at line: Int, _ lines: [String]) -> Bool {
        if lines[line].contains("// NOTE:") { return true }
        var above = line - 1
        while above >= 0 {
            let text = lines[above].trimmingCharacters(in: .whitespaces)
            if text.contains("// NOTE:") { return true }
            guard text.hasPrefix("//") || text.hasPrefix("@") else { return false }
            above -= 1
        }
        return false
    }
}
