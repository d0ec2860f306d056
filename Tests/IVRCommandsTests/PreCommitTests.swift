import Foundation
import IVRTestSupport
import Testing

/// `.pre-commit-hooks.yaml` works with a real pre-commit: the
/// `ivrc-check-system` hook passes a good flow and fails a broken one
/// (scripts/pre-commit-test.sh, with PyPI's pre-commit from .build/test-venv).
@Suite struct PreCommitTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(.enabled(if: TestTools.onPath("git"), TestTools.missing("git", package: "git")),
          .enabled(if: TestTools.venvImports("pre_commit"), TestTools.missingPython("pre-commit is")),
          .timeLimit(.minutes(5)))
    func systemHookPassesGoodFlowsAndFailsBrokenOnes() async throws {
        let run = try await runProcess("/bin/bash", [Self.root.appendingPathComponent("scripts/pre-commit-test.sh").path,
                                                     try BinaryTests.binary().path],
                                       in: Self.root.path, mergingErrors: true)
        let text = run.stdout
        #expect(run.status == 0, "\(text)")
        #expect(text.contains("ok: the hook passes a good flow"), "\(text)")
        #expect(text.contains("ok: the hook fails a broken flow and shows E201"), "\(text)")
        #expect(text.contains("pre-commit-test: 0 failure(s)"), "\(text)")
    }
}
