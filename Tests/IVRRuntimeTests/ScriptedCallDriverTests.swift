import Foundation
import IVRBytecode
import IVRCheck
import IVRTestSupport
import Testing
@testable import IVRRuntime

/// `ivrc test` runs its calls through `ScriptedCallDriver` (no suspension);
/// `simulate` and every other caller through `CallDriver`. Both must make
/// the same call of the same script: every case of every example project,
/// and the calls of `Harness` (each compared there), run both ways.
@Suite struct ScriptedCallDriverTests {
    @Test func everyExampleCaseMakesTheSameCallBothWays() async throws {
        let examples = TestTools.repositoryRoot + "/examples"
        var compared = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: examples).sorted() {
            let folder = examples + "/" + name
            guard case .success(let built) = FlowBuild.build(paths: [folder], currentDirectory: folder, excluding: []) else { continue }
            for testFile in built.project.testFiles {
                let bytes = try #require(FileManager.default.contents(atPath: FilePaths.absolute(testFile, cwd: folder)))
                let parsed = try #require(FlowTestParser.parse([UInt8](bytes), file: testFile).file)
                let flow = try #require(built.bundle.flowIndex(parsed.flow.value))
                for c in parsed.cases {
                    // A fixed time for the cases with none, so both runs read the same clock.
                    let at = c.at.flatMap { CallTime.parse($0.value) } ?? Date(timeIntervalSince1970: 1_800_000_000)
                    func backend() -> ScriptedBackend {
                        let b = ScriptedBackend(tokens: c.input, at: at, webhooks: c.webhooks)
                        b.transfers = c.transferScript
                        b.calleeTokens = c.calleeInput
                        return b
                    }
                    let plain = backend(), suspending = backend()
                    let a = ScriptedCallDriver.run(built.bundle, flow: flow, backend: plain, caller: c.caller ?? "+15555550100")
                    let b = await CallDriver.run(built.bundle, flow: flow, backend: suspending, caller: c.caller ?? "+15555550100")
                    #expect(Self.same(a, b), "\(name): \(c.name)")
                    #expect(plain.transferRequests == suspending.transferRequests && plain.webhookRequests == suspending.webhookRequests,
                            "\(name): \(c.name)")
                    compared += 1
                }
            }
        }
        #expect(compared >= 50)
    }

    /// Everything `ivrc test` reads of a report: what it checks, prints and counts.
    static func same(_ a: CallReport, _ b: CallReport) -> Bool {
        a == b && a.end == b.end && a.via == b.via && a.bridge == b.bridge && a.readClock == b.readClock
            && a.hidden == b.hidden && a.path.elementsEqual(b.path, by: { $0 == $1 })
            && a.failedTransfers.elementsEqual(b.failedTransfers, by: { $0 == $1 })
            && a.bridgeDestination.map { "\($0.kind) \($0.value)" } == b.bridgeDestination.map { "\($0.kind) \($0.value)" }
    }
}
