import Foundation
import IVRCommands
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRReport

/// A hand-written log with every case the report distinguishes.
enum SampleLog {
    static func record(_ id: String, flow: String = "acme-main", start: String, seconds: Double, answerAfter: Double? = 0,
                       outcome: String, path: [String], inputs: [CallRecord.Input] = []) -> CallRecord {
        let s = CallRecord.parseDate(start) ?? Date(timeIntervalSince1970: 0)
        return CallRecord(id: id, flow: flow, from: "+15551234567", to: "800", backend: "sip", start: s,
                          answer: answerAfter.map { s.addingTimeInterval($0) }, end: s.addingTimeInterval(seconds),
                          outcome: outcome, destination: nil, path: path, inputs: inputs)
    }

    static let records: [CallRecord] = [
        record("a", start: "2026-11-23T15:00:00.000Z", seconds: 10, outcome: "transfer", path: ["welcome", "main-menu", "sales"],
               inputs: [.init(node: "main-menu", digits: "1", kind: "menu")]),
        record("b", start: "2026-11-23T15:30:00.000Z", seconds: 20, answerAfter: 5, outcome: "transfer", path: ["welcome", "main-menu", "support"],
               inputs: [.init(node: "main-menu", digits: "2", kind: "menu")]),
        record("c", start: "2026-11-23T09:10:00.000Z", seconds: 30, outcome: "caller-hangup", path: ["welcome", "main-menu"]),
        record("d", start: "2026-11-23T15:59:59.000Z", seconds: 40, answerAfter: nil, outcome: "hangup", path: ["welcome", "main-menu", "account"],
               inputs: [.init(node: "main-menu", digits: "1", kind: "menu"), .init(node: "account", digits: "***", kind: "capture", sensitive: true)]),
        record("e", flow: "billing", start: "2026-11-23T23:00:00.000Z", seconds: 0.5, outcome: "caller-hangup", path: []),
    ]

    static var text: String {
        records.map { $0.jsonLine() }.joined(separator: "\n") + "\nnot json\n\n{\"id\":\"x\"}\n"
    }
}

@Suite struct ReportTests {
    @Test func statisticsFollowTheDefinitions() {
        let s = CallStatistics(SampleLog.records)
        #expect(s.calls == 5)
        #expect(s.outcomes == [.init("transfer", 2), .init("hangup", 1), .init("caller-hangup", 2), .init("error", 0)])
        #expect(s.flows.map(\.name) == ["acme-main", "billing"])
        let main = s.flows[0]
        #expect(main.menus == [CallStatistics.Menu(node: "main-menu", options: [.init("1", 2), .init("2", 1)])])
        #expect(main.abandonment == [.init("main-menu", 1)])
        #expect(s.flows[1].abandonment == [.init("(start)", 1)])
        // Time in IVR: 10s, 15s (answered after 5s), 30s, 40s (no answer: durationMs), 0.5s.
        #expect(s.time == CallStatistics.Durations(p50: 15_000, p90: 40_000))
        #expect(s.hours[15] == 3 && s.hours[9] == 1 && s.hours[23] == 1 && s.hours.reduce(0, +) == 5)
    }

    @Test func nearestRankPercentiles() {
        #expect(CallStatistics.percentile([], 50) == nil)
        #expect(CallStatistics.percentile([7], 90) == 7)
        #expect(CallStatistics.percentile(Array(1...10), 50) == 5)
        #expect(CallStatistics.percentile(Array(1...10), 90) == 9)
        #expect(CallStatistics.percentile(Array(1...11), 90) == 10)
        #expect(CallStatistics.percentile(Array(1...100), 100) == 100)
    }

    @Test func keysSortAsOnAKeypad() {
        #expect(["#", "0", "*", "2", "1", "12", "9"].sorted(by: CallStatistics.keyOrder) == ["1", "2", "9", "0", "*", "#", "12"])
    }

    @Test func malformedLinesAreSkippedCountedAndLocated() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("calls.jsonl", SampleLog.text)
        var o = ReportRunner.Options(files: ["calls.jsonl"])
        o.currentDirectory = folder.path
        let r = ReportRunner.run(o)
        #expect(r.exitCode == 0)
        #expect(r.stderr.contains("calls.jsonl:6: warning: skipped a line that is not a call record"))
        #expect(r.stderr.contains("calls.jsonl:8: warning"))
        #expect(r.stderr.contains("2 malformed lines skipped"))
        #expect(r.stdout.hasPrefix("5 calls in 1 file (2 malformed lines skipped)\n"))
    }

    @Test func textReport() {
        let text = ReportTextFormatter.format(CallStatistics(SampleLog.records), files: 1, malformed: 0)
        #expect(text.contains("Calls per flow\n  acme-main  4   80.0%\n  billing    1   20.0%\n"))
        #expect(text.contains("Outcomes\n  transfer       2   40.0%\n  hangup         1   20.0%\n  caller-hangup  2   40.0%\n  error          0    0.0%\n"))
        #expect(text.contains("Time in IVR\n  p50  15.0s\n  p90  40.0s\n"))
        #expect(text.contains("  15:00  3  ########################################\n"))
        #expect(text.contains("  Menu main-menu: 3 choices\n    key 1  2   66.7%\n    key 2  1   33.3%\n"))
        #expect(text.contains("    main-menu  1   25.0%\n"))
    }

    @Test func jsonReport() throws {
        let json = try #require(jsonObject(ReportJSONFormatter.format(CallStatistics(SampleLog.records), files: 1, malformed: 3)))
        #expect(json["calls"] as? Int == 5)
        #expect(json["malformed"] as? Int == 3)
        #expect((json["outcomes"] as? [String: Int]) == ["transfer": 2, "hangup": 1, "caller-hangup": 2, "error": 0])
        #expect((json["hours"] as? [Int])?[15] == 3)
        let flows = try #require(json["flows"] as? [[String: Any]])
        let menus = try #require(flows.first?["menus"] as? [[String: Any]])
        #expect((menus.first?["options"] as? [String: Int]) == ["1": 2, "2": 1])
        #expect((flows.first?["timeInIVR"] as? [String: Int]) == ["p50Ms": 15_000, "p90Ms": 40_000])
    }

    @Test func htmlEscapesRecordFields() {
        let hostile = SampleLog.record("x", flow: "<script>alert(1)</script>", start: "2026-11-23T10:00:00Z", seconds: 1,
                                       outcome: "transfer", path: ["a"], inputs: [.init(node: "m\"&", digits: "<b>", kind: "menu")])
        let page = ReportHTMLFormatter.format(CallStatistics([hostile]), files: 1, malformed: 0)
        #expect(!page.contains("<script>"))
        #expect(!page.contains("<b>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.components(separatedBy: "<svg").count - 1 == ReportHTMLFormatter.chartCount(CallStatistics([hostile])))
    }

    @Test func unreadableFileIsAnIOError() {
        let r = ReportRunner.run(ReportRunner.Options(files: ["/nonexistent/calls.jsonl"]))
        #expect(r.exitCode == 2)
        #expect(r.stderr == "error: cannot read /nonexistent/calls.jsonl\n")
    }

    @Test func emptyLog() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("empty.jsonl", "")
        var o = ReportRunner.Options(files: ["empty.jsonl"])
        o.currentDirectory = folder.path
        o.format = .json
        let r = ReportRunner.run(o)
        #expect(r.exitCode == 0)
        #expect(r.stdout.contains("\"calls\":0") && r.stdout.contains("\"p50Ms\":null"))
    }
}
