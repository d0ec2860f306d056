import Foundation
import IVRCheck
import IVRSyntax
import Testing

/// Checking one file of a project (as a pre-commit hook does) still sees the
/// project's other flows: `ivr:` references resolve and duplicates are found,
/// but the other files' own problems are not reported.
@Suite struct ContextFlowTests {
    func project() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ivrc-ctx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/flows", withIntermediateDirectories: true)
        try "name: shop\n".write(toFile: root + "/ivr-project.yaml", atomically: true, encoding: .utf8)
        try "ivr: main\nnodes:\n  a: {transfer: {ivr: billing}}\n".write(toFile: root + "/flows/main.yaml", atomically: true, encoding: .utf8)
        try "ivr: billing\nnodes:\n  a: {goto: nowhere}\n".write(toFile: root + "/flows/billing.yaml", atomically: true, encoding: .utf8)
        try "ivr: main\nnodes:\n  a: hangup\n".write(toFile: root + "/flows/zz-copy.yaml", atomically: true, encoding: .utf8)
        return root
    }

    @Test func oneFileSeesTheRestOfTheProject() throws {
        let root = try project()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let loaded = try ProjectLoader.load(paths: ["flows/main.yaml"], currentDirectory: root).get()
        #expect(loaded.flows.map(\.name.value) == ["main"])
        #expect(Set(loaded.contextFlows.map(\.name.value)) == ["billing", "main"])
        let codes = Checker.check(loaded).map { "\($0.file):\($0.code.rawValue)" }
        // billing exists (no E202); billing's own E201 is not reported; the duplicate name is, at the checked file.
        #expect(codes == ["flows/main.yaml:E211"])
    }
}
