import Foundation
import IVRCommands
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRReport

/// `ivrc report` over the logs of two `ivrc serve` nodes (files and
/// folders): one merged report with rows per server and per bundle;
/// records that do not name theirs count under "-".
@Suite struct MergedReportTests {
    static let oldBundle = String(repeating: "a1", count: 32)
    static let newBundle = String(repeating: "b2", count: 32)

    static func record(_ id: String, server: String?, bundle: String?, outcome: String, seconds: Double) -> CallRecord {
        var r = SampleLog.record(id, start: "2026-11-23T15:00:00.000Z", seconds: seconds, outcome: outcome, path: ["welcome"])
        r.server = server
        r.bundle = bundle
        return r
    }

    /// node-1: three calls (two on the old bundle, one after a reload);
    /// node-2: two on the new bundle; a record from before nodes had names.
    static func logs() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("node-2/archive"), withIntermediateDirectories: true)
        try folder.write("node-1.jsonl", [
            record("n1-a", server: "node-1", bundle: oldBundle, outcome: "transfer", seconds: 10),
            record("n1-b", server: "node-1", bundle: oldBundle, outcome: "caller-hangup", seconds: 20),
            record("n1-c", server: "node-1", bundle: newBundle, outcome: "transfer", seconds: 30),
        ].map { $0.jsonLine() }.joined(separator: "\n") + "\n")
        try folder.write("node-2/calls.jsonl", record("n2-a", server: "node-2", bundle: newBundle, outcome: "hangup", seconds: 5).jsonLine() + "\n")
        try folder.write("node-2/archive/old.jsonl", record("n2-b", server: "node-2", bundle: newBundle, outcome: "transfer", seconds: 7).jsonLine() + "\n")
        try folder.write("node-2/notes.txt", "not a log\n")
        try folder.write("legacy.jsonl", record("old", server: nil, bundle: nil, outcome: "error", seconds: 1).jsonLine() + "\n")
        return folder
    }

    static func run(_ files: [String], in folder: TemporaryFolder, format: ReportFormat) -> ReportRunner.Result {
        var options = ReportRunner.Options(files: files)
        options.format = format
        options.currentDirectory = folder.path
        return ReportRunner.run(options)
    }

    @Test func serverAndBundleFieldsRoundTrip() throws {
        let r = Self.record("x", server: "node-1", bundle: Self.oldBundle, outcome: "hangup", seconds: 1)
        let line = r.jsonLine()
        #expect(line.contains("\"server\":\"node-1\""))
        #expect(CallRecord.parse(line: line) == r)
        #expect(!Self.record("y", server: nil, bundle: nil, outcome: "hangup", seconds: 1).jsonLine().contains("server"))
    }

    @Test func filesAndFoldersMergeIntoRowsPerServerAndBundle() throws {
        let folder = try Self.logs()
        defer { folder.remove() }
        let result = Self.run(["node-1.jsonl", "node-2", "legacy.jsonl"], in: folder, format: .json)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let json = try #require(jsonObject(result.stdout))
        #expect(json["calls"] as? Int == 6)
        #expect(json["files"] as? Int == 4, "node-2 holds two logs; notes.txt is not one")
        let servers = try #require(json["servers"] as? [[String: Any]])
        #expect(servers.map { $0["server"] as? String } == ["node-1", "node-2", "-"])
        #expect(servers.map { $0["calls"] as? Int } == [3, 2, 1])
        let node1 = try #require(servers.first?["outcomes"] as? [String: Int])
        #expect(node1 == ["transfer": 2, "hangup": 0, "caller-hangup": 1, "error": 0])
        #expect((servers.first?["timeInIVR"] as? [String: Any])?["p50Ms"] as? Int == 20_000)
        let bundles = try #require(json["bundles"] as? [[String: Any]])
        #expect(bundles.map { $0["bundle"] as? String } == [Self.newBundle, Self.oldBundle, "-"])
        #expect(bundles.map { $0["calls"] as? Int } == [3, 2, 1])

        let text = Self.run(["node-1.jsonl", "node-2", "legacy.jsonl"], in: folder, format: .text).stdout
        #expect(text.hasPrefix("6 calls in 4 files\n"), "\(text)")
        #expect(text.contains("\nServers\n  node-1  3   50.0%  transfer 2, caller-hangup 1; p50 20.0s\n"), "\(text)")
        #expect(text.contains("\n  node-2  2   33.3%  transfer 1, hangup 1; p50 5.0s\n"), "\(text)")
        #expect(text.contains("\nBundles\n  b2b2b2b2b2b2  3   50.0%"), "\(text)")
        #expect(text.contains("\n  -             1   16.7%  error 1; p50 1.0s\n"), "\(text)")

        let html = Self.run(["node-1.jsonl", "node-2", "legacy.jsonl"], in: folder, format: .html).stdout
        #expect(html.contains("<h2>Servers</h2>"))
        #expect(html.contains("<td title=\"node-1\">node-1</td><td class=\"n\">3</td>"), "\(html)")
        #expect(html.contains("<td title=\"\(Self.oldBundle)\">a1a1a1a1a1a1</td><td class=\"n\">2</td>"))
    }

    /// Logs whose records name no server or bundle keep the report they had.
    @Test func singleNodeReportsKeepTheirShape() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("calls.jsonl", SampleLog.text)
        let json = try #require(jsonObject(Self.run(["calls.jsonl"], in: folder, format: .json).stdout))
        #expect(json["servers"] == nil && json["bundles"] == nil)
        let text = Self.run(["calls.jsonl"], in: folder, format: .text).stdout
        #expect(!text.contains("Servers") && !text.contains("Bundles"))
    }

    @Test func aFolderWithoutLogsIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.file("empty"), withIntermediateDirectories: true)
        let result = Self.run(["empty"], in: folder, format: .text)
        #expect(result.exitCode == 2)
        #expect(result.stderr == "error: cannot read empty: no *.jsonl file in the folder\n")
    }
}
