import Foundation
import IVRCheck
import IVRSyntax
import Testing

/// Every file in Fixtures/check (and every folder in Fixtures/check/projects)
/// is checked; the diagnostics must be exactly the ones its comments expect.
@Suite struct FixtureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/check")

    static func fixtures() -> [String] {
        let fm = FileManager.default
        let files = ((try? fm.contentsOfDirectory(atPath: root.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        let projects = ((try? fm.contentsOfDirectory(atPath: root.appendingPathComponent("projects").path)) ?? [])
            .map { "projects/" + $0 }
        return (files + projects).sorted()
    }

    @Test func corpusIsLarge() {
        #expect(Self.fixtures().count >= 40)
    }

    @Test(arguments: fixtures())
    func fixture(_ name: String) throws {
        let path = Self.root.appendingPathComponent(name).path
        let project = try ProjectLoader.load(paths: [path]).get()
        let diagnostics = Checker.check(project)

        var expectations = FixtureExpectations()
        for file in Self.yamlFiles(under: path) {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            expectations.read(file: Self.relative(file), text: text)
        }
        let actual = diagnostics.map {
            FixtureExpectations.Expected(file: Self.relative($0.file), line: $0.range.start.line,
                                         column: $0.range.start.column, code: $0.code.rawValue)
        }
        var unmatched = actual
        var missing: [FixtureExpectations.Expected] = []
        for expected in expectations.diagnostics {
            if let i = unmatched.firstIndex(where: {
                $0.file == expected.file && $0.line == expected.line && $0.code == expected.code
                    && (expected.column == nil || $0.column == expected.column)
            }) {
                unmatched.remove(at: i)
            } else {
                missing.append(expected)
            }
        }
        let detail = diagnostics.map { "\($0.code.rawValue) \($0.range.start.line):\($0.range.start.column) \($0.message)" }
            .joined(separator: "\n")
        #expect(missing.isEmpty, "expected but not reported: \(missing)\nreported:\n\(detail)")
        #expect(unmatched.isEmpty, "reported but not expected: \(unmatched)\nreported:\n\(detail)")
        for help in expectations.helps {
            let found = diagnostics.contains { d in
                (d.help ?? "").contains(help) || d.notes.contains { $0.message.contains(help) }
                    || d.message.contains(help)
            }
            #expect(found, "no diagnostic carries the help text '\(help)'\nreported:\n\(detail)")
        }
        for fix in expectations.fixes {
            let offered = diagnostics.compactMap { $0.fix.map { "'\($0.replacement)'" } }
            #expect(diagnostics.contains { $0.fix?.replacement == fix },
                    "no diagnostic offers the fix-it '\(fix)'; offered: \(offered)\nreported:\n\(detail)")
        }
    }

    static func yamlFiles(under path: String) -> [String] {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        guard isDirectory.boolValue else { return [path] }
        let all = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { path + "/" + $0 }
    }

    /// The path relative to the fixture root, whatever form the loader printed it in.
    static func relative(_ file: String) -> String {
        let absolute = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
        let rootPath = root.standardizedFileURL.path + "/"
        return standardized.hasPrefix(rootPath) ? String(standardized.dropFirst(rootPath.count)) : standardized
    }
}
