import Foundation
import IVRCheck
import IVRSyntax
import Testing

/// The `wait` step's fields: `for` is required and is `beep` or
/// `silence`; `timeout` is a duration from 1s to 5m; anything else is an
/// unknown field. Exact ranges, like every diagnostic.
@Suite struct WaitStepCheckTests {
    static func spots(_ wait: String) throws -> [String] {
        let flow = "ivr: main\nnodes:\n  start:\n    - wait: \(wait)\n    - hangup\n"
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ivrc-wait-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try flow.write(toFile: root + "/main.yaml", atomically: true, encoding: .utf8)
        let loaded = try ProjectLoader.load(paths: ["."], currentDirectory: root).get()
        return Checker.check(loaded).filter { $0.severity == .error }.map { "\($0.code.rawValue)@\($0.range.start)-\($0.range.end)" }
    }

    @Test func beepAndSilenceWithATimeoutAreValid() throws {
        #expect(try Self.spots("{for: beep}") == [])
        #expect(try Self.spots("{for: silence, timeout: 10s}") == [])
    }

    @Test func anotherForIsE006AtItsValue() throws {
        #expect(try Self.spots("{for: tone}") == ["E006@4:19-4:23"])
    }

    @Test func aMissingForIsAnError() throws {
        let spots = try Self.spots("{timeout: 10s}")
        #expect(spots.count == 1, "\(spots)")
    }

    @Test func aTimeoutOutsideItsRangeIsE006() throws {
        #expect(try Self.spots("{for: beep, timeout: 500ms}") == ["E006@4:34-4:39"])
        #expect(try Self.spots("{for: beep, timeout: 10m}") == ["E006@4:34-4:37"])
    }

    @Test func anUnknownFieldIsE003() throws {
        #expect(try Self.spots("{for: beep, until: 5s}").first?.hasPrefix("E003@4:25") == true)
    }
}
