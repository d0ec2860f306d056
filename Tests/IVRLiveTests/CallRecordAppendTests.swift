import Foundation
import IVRCommands
import IVRTestSupport
import Testing
@testable import IVRLive
@testable import IVRRuntime

/// The call-record log is shared: calls of one process, and several
/// processes (`ivrc simulate --records` in a loop, `serve` and `run` side by
/// side), append to one file. No line may be lost or torn.
@Suite struct CallRecordAppendTests {
    static func record(_ i: Int) -> CallRecord {
        let start = Date(timeIntervalSince1970: 1_795_000_000 + Double(i))
        return CallRecord(id: "c\(i)", flow: "f", from: "+1", to: "800", backend: "sip", start: start, answer: start,
                          end: start.addingTimeInterval(2), outcome: "hangup", destination: nil,
                          path: Array(repeating: "node-with-a-long-name", count: i % 40), inputs: [])
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    /// Two logs on one file (as two processes have): every record arrives whole.
    @Test func twoWritersOnOneFile() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("calls.jsonl")
        let a = CallRecordLog(path: path), b = CallRecordLog(path: path)
        await withTaskGroup(of: Void.self) { group in
            for (w, log) in [a, b].enumerated() {
                group.addTask {
                    for i in 0..<300 { try? await log.append(Self.record(w * 1000 + i)) }
                }
            }
        }
        await a.close()
        await b.close()
        let lines = try Self.lines(path)
        #expect(lines.count == 600)
        #expect(Set(lines.compactMap { CallRecord.parse(line: $0)?.id }).count == 600)
    }

    /// `simulate --records` from many calls at once, creating the file.
    @Test func simulateRecordsFromConcurrentCalls() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("f.yaml", "ivr: f\nnodes:\n  start:\n    - hangup\n")
        await withTaskGroup(of: Int32.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    var o = SimulateRunner.Options(paths: ["f.yaml"])
                    o.currentDirectory = folder.path
                    o.records = "calls.jsonl"
                    return await SimulateRunner.run(o).exitCode
                }
            }
        }
        let lines = try Self.lines(folder.file("calls.jsonl"))
        #expect(lines.count == 200)
        #expect(lines.allSatisfy { CallRecord.parse(line: $0) != nil })
    }

    /// Four `ivrc simulate --records` processes at once.
    @Test(.timeLimit(.minutes(3))) func processesAppendingTogether() async throws {
        let binary = try #require(RunTerminalTests.ivrcBinary, "build the ivrc executable first (swift build)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("f.yaml", "ivr: f\nnodes:\n  start:\n    - hangup\n")
        let script = "for i in $(seq 25); do \"$0\" simulate \"$1/f.yaml\" --records \"$1/calls.jsonl\" >/dev/null || exit 1; done"
        let r = try await runProcess("/bin/bash", ["-c", "for w in 1 2 3 4; do bash -c '\(script)' \"$0\" \"$1\" & done; wait",
                                                   binary, folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.lines(folder.file("calls.jsonl")).count == 100)
    }
}
