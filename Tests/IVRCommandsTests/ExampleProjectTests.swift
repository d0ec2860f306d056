import Foundation
import Testing
@testable import IVRCommands

/// Every bundled example checks clean, warnings included (`--strict`).
@Suite struct ExampleProjectTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    static func projects() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: examples.appendingPathComponent(name).path,
                                                  isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    @Test func thereAreExamples() {
        #expect(Self.projects().count >= 2)
    }

    @Test(arguments: projects())
    func checksCleanUnderStrict(_ project: String) {
        let out = CheckRunner(strict: true, currentDirectory: Self.examples.path).run(paths: [project])
        #expect(out.exitCode == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.hasPrefix("0 errors, 0 warnings in "))
    }
}
