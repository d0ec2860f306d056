import Foundation
import IVRBytecode
import IVRCheck
import IVRCommands
import IVRRuntime
import IVRSyntax
import IVRTestSupport
import Testing
@testable import IVRReport

/// The issue's proof, end to end: 10,000 calls run by `ivrc simulate`'s own
/// runner with `--records FILE` (the same `SimulateRunner` the command
/// calls, with the options the command line gives it), then `ivrc report` on
/// that file. The expected numbers are counted here from each call's
/// `--json` transcript (outcome, input and invalid events, the `--at` time
/// the test chose), not from the records or the report's code.
@Suite struct ReportFromRecordsTests {
    static let callCount = 10_000

    /// The menu nodes of a project and their option keys.
    static func menus(of project: Project) -> [String: Set<String>] {
        var menus: [String: Set<String>] = [:]
        for flow in project.flows {
            for node in flow.nodes {
                for step in node.steps {
                    if case .menu(let menu) = step.kind {
                        menus[node.name.value] = Set(menu.options.map { String($0.key.value.character) })
                    }
                }
            }
        }
        return menus
    }

    @Test(.timeLimit(.minutes(10)))
    func tenThousandCallsThroughSimulateRecords() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var bundles: [(path: String, menus: [String: Set<String>])] = []
        for example in ["first-national-bank", "dental-front-desk", "freeswitch-demo-ivr"] {
            let built = try FlowBuild.build(paths: ["examples/" + example], currentDirectory: TestTools.repositoryRoot).get()
            let path = folder.path + "/\(example).ivrb"
            try Data(built.bytes).write(to: URL(fileURLWithPath: path))
            bundles.append((path, Self.menus(of: built.project)))
        }
        let records = folder.path + "/calls.jsonl"
        let keys = ["1", "2", "3", "0", "*", "#", "9", "5", "-", "-", "!", "12345678#", "123#", "1234567890", "1001"]
        let base = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 (a Wednesday), UTC
        let iso = ISO8601DateFormatter()
        var rng = SeededGenerator(seed: 11)
        var expected = ExpectedReport()
        var durations: [Int] = []

        for i in 0..<Self.callCount {
            let (path, menus) = bundles[i % bundles.count]
            let start = base.addingTimeInterval(Double(Int.random(in: 0..<7 * 86_400, using: &rng)))
            var o = SimulateRunner.Options(paths: [path])
            o.input = (0..<Int.random(in: 0...6, using: &rng)).map { _ in keys.randomElement(using: &rng) ?? "-" }
                .joined(separator: " ")
            o.at = iso.string(from: start)
            o.caller = "+1555000\(i)"
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: o.webhooks = [#"https://={"tier":"gold","status":"open"}"#]
            case 1: o.webhooks = [#"https://={"tier":"basic"}"#]
            default: break  // no answer: on-error
            }
            o.json = true
            o.records = records
            o.currentDirectory = folder.path
            let (output, status) = await SimulateRunner.run(o)
            #expect(status == 0, "\(o.input): \(output)")
            let call = try #require(jsonObject(output), "\(output)")
            let events = call["events"] as? [[String: Any]] ?? []
            var menuInputs: [(node: String, digits: String)] = []
            for (j, e) in events.enumerated() where e["event"] as? String == "input" {
                guard let node = e["node"] as? String, let digits = e["digits"] as? String,
                      let options = menus[node] else { continue }  // a capture's digits
                let next = j + 1 < events.count ? events[j + 1] : [:]
                if next["event"] as? String == "invalid" {
                    menuInputs.append((node, "invalid"))
                } else if options.contains(digits) {
                    menuInputs.append((node, digits))
                }  // else: a dialled extension, not a menu choice
            }
            let visited = call["visited"] as? [String] ?? []
            let hour = Int(start.timeIntervalSince1970) % 86_400 / 3600
            expected.add(flow: call["flow"] as? String ?? "?", outcome: call["outcome"] as? String ?? "?", hour: hour,
                         timeMs: 0, menuInputs: menuInputs, lastNode: visited.last)
        }
        // The record log has exactly one line per call.
        let lines = try String(contentsOfFile: records, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == Self.callCount)
        // Time in IVR is the one figure the transcript does not carry: the
        // test takes each record's duration and ranks them itself.
        for line in lines {
            let record = try #require(jsonObject(String(line)))
            durations.append(try #require(record["durationMs"] as? Int))
        }
        expected.times = durations
        #expect(Set(expected.outcomes.keys).isSuperset(of: ["transfer", "hangup", "caller-hangup"]), "\(expected.outcomes)")
        #expect(expected.menus.values.reduce(0) { $0 + $1.count } >= 3)
        #expect(expected.menus.values.flatMap(\.values).contains { $0["invalid"] ?? 0 > 0 })

        var report = ReportRunner.Options(files: [records])
        report.format = .json
        report.currentDirectory = folder.path
        let r = ReportRunner.run(report)
        #expect(r.exitCode == 0, "\(r.stderr)")
        try expected.check(try #require(jsonObject(r.stdout)), malformed: 0)
    }
}
