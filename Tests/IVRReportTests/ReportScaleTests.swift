import Foundation
import IVRBytecode
import IVRCommands
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRReport

/// What a report should say, counted here from the calls themselves, the
/// simplest way, without the report's code.
struct ExpectedReport {
    var calls = 0
    var perFlow: [String: Int] = [:]
    var outcomes: [String: Int] = [:]
    /// flow -> menu node -> digits -> count
    var menus: [String: [String: [String: Int]]] = [:]
    /// flow -> node -> caller hang-ups
    var abandoned: [String: [String: Int]] = [:]
    var hours = Array(repeating: 0, count: 24)
    var times: [Int] = []

    mutating func add(flow: String, outcome: String, hour: Int, timeMs: Int, menuInputs: [(node: String, digits: String)], lastNode: String?) {
        calls += 1
        perFlow[flow, default: 0] += 1
        outcomes[outcome, default: 0] += 1
        hours[hour] += 1
        times.append(timeMs)
        for input in menuInputs { menus[flow, default: [:]][input.node, default: [:]][input.digits, default: 0] += 1 }
        if outcome == "caller-hangup" { abandoned[flow, default: [:]][lastNode ?? "(start)", default: 0] += 1 }
    }

    /// Nearest rank, computed with floating point as the textbook states it.
    func percentile(_ p: Double) -> Int {
        let sorted = times.sorted()
        return sorted[Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1]
    }

    /// Compares with `ivrc report --format json`.
    func check(_ json: [String: Any], malformed: Int) throws {
        #expect(json["calls"] as? Int == calls)
        #expect(json["malformed"] as? Int == malformed)
        let outcomesJSON = try #require(json["outcomes"] as? [String: Int])
        for name in ["transfer", "hangup", "caller-hangup", "error"] { #expect(outcomesJSON[name] == (outcomes[name] ?? 0), "\(name)") }
        #expect(outcomesJSON.values.reduce(0, +) == calls)
        #expect(json["hours"] as? [Int] == hours)
        #expect((json["timeInIVR"] as? [String: Int]) == ["p50Ms": percentile(50), "p90Ms": percentile(90)])
        let flows = try #require(json["flows"] as? [[String: Any]])
        #expect(flows.count == perFlow.count)
        for flow in flows {
            let name = try #require(flow["flow"] as? String)
            #expect(flow["calls"] as? Int == perFlow[name])
            var menusJSON: [String: [String: Int]] = [:]
            for menu in flow["menus"] as? [[String: Any]] ?? [] {
                menusJSON[menu["node"] as? String ?? "?"] = menu["options"] as? [String: Int]
            }
            #expect(menusJSON == (menus[name] ?? [:]), "menus of \(name)")
            var abandonedJSON: [String: Int] = [:]
            for a in flow["abandonment"] as? [[String: Any]] ?? [] { abandonedJSON[a["node"] as? String ?? "?"] = a["calls"] as? Int }
            #expect(abandonedJSON == (abandoned[name] ?? [:]), "abandonment in \(name)")
        }
    }
}

@Suite struct ReportScaleTests {
    static let callCount = 10_000

    /// Runs the report on a log and returns its JSON.
    static func report(_ log: String) throws -> [String: Any] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("calls.jsonl", log)
        var o = ReportRunner.Options(files: ["calls.jsonl"])
        o.currentDirectory = folder.path
        o.format = .json
        let r = ReportRunner.run(o)
        #expect(r.exitCode == 0)
        return try #require(jsonObject(r.stdout))
    }

    /// 10,000 real calls: the example flows run by the interpreter against a
    /// seeded random caller, each writing its call record.
    @Test func tenThousandSimulatedCalls() async throws {
        let bundles = try SimulatedCalls.bundles()
        var rng = SeededGenerator(seed: 7)
        var expected = ExpectedReport()
        var log = ""
        for i in 0..<Self.callCount {
            let call = try await SimulatedCalls.call(i, bundles: bundles, rng: &rng)
            let start = call.start
            log += call.record(id: "call-\(i)", backend: "simulate").jsonLine() + "\n"
            if i % 1000 == 999 { log += "{\"truncated\": \n" }  // a malformed line every 1000 calls

            var menuInputs: [(String, String)] = []
            // Keys the menu refused (an `invalid` event follows them) count as one "invalid" row.
            for (j, e) in call.events.enumerated() {
                guard case .input(let digits, .menu) = e.kind else { continue }
                let refused = j + 1 < call.events.count && call.events[j + 1].kind == .invalid(digits)
                menuInputs.append((e.node, refused ? "invalid" : digits))
            }
            let hour = Int(start.timeIntervalSince1970) % 86_400 / 3600
            let ms = Int((call.end.timeIntervalSince(call.start) * 1000).rounded())
            expected.add(flow: call.flow, outcome: call.outcome.rawValue, hour: hour, timeMs: ms,
                         menuInputs: menuInputs, lastNode: call.visited.last)
        }
        // The random callers reach every outcome the flows have, and many menus.
        #expect(expected.outcomes.count >= 3)
        #expect((expected.outcomes["caller-hangup"] ?? 0) > 100)
        #expect(expected.menus.values.reduce(0) { $0 + $1.count } >= 2)
        try expected.check(try Self.report(log), malformed: Self.callCount / 1000)
    }

    /// 10,000 generated records with shapes the examples never produce: no
    /// answer time, unknown outcomes, empty paths, several flows and menus.
    @Test func tenThousandGeneratedRecords() throws {
        var rng = SeededGenerator(seed: 2026)
        let flows = ["acme-main", "billing", "support-line"]
        let outcomes = ["transfer", "transfer", "hangup", "caller-hangup", "caller-hangup", "error", "mystery"]
        let nodes = ["welcome", "main-menu", "billing-menu", "account", "sales", "goodbye"]
        var expected = ExpectedReport()
        var log = ""
        for i in 0..<Self.callCount {
            let flow = flows.randomElement(using: &rng) ?? ""
            let outcome = outcomes.randomElement(using: &rng) ?? ""
            let start = Date(timeIntervalSince1970: 1_790_000_000 + Double(Int.random(in: 0..<2_000_000, using: &rng)))
            let ring = Int.random(in: 0...3000, using: &rng)
            let length = Int.random(in: 100...600_000, using: &rng)
            let answered = Bool.random(using: &rng)
            let path = (0..<Int.random(in: 0...5, using: &rng)).map { _ in nodes.randomElement(using: &rng) ?? "" }
            var inputs: [CallRecord.Input] = []
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let kind = ["menu", "menu", "capture", "extension"].randomElement(using: &rng) ?? ""
                let refused = kind == "menu" && Int.random(in: 0..<5, using: &rng) == 0
                inputs.append(.init(node: ["main-menu", "billing-menu"].randomElement(using: &rng) ?? "",
                                    digits: ["1", "2", "0", "*", "#", "1001"].randomElement(using: &rng) ?? "", kind: kind,
                                    invalid: refused ? true : nil))
            }
            let record = CallRecord(id: "g\(i)", flow: flow, from: nil, to: nil, backend: "sip", start: start,
                                    answer: answered ? start.addingTimeInterval(Double(ring) / 1000) : nil,
                                    end: start.addingTimeInterval(Double(ring + length) / 1000), outcome: outcome,
                                    destination: nil, path: path, inputs: inputs)
            log += record.jsonLine() + "\n"
            if i % 500 == 0 { log += "garbage line \(i)\n\n" }  // malformed, then a blank line (ignored)

            let hour = Int(start.timeIntervalSince1970) % 86_400 / 3600
            expected.add(flow: flow, outcome: outcome, hour: hour, timeMs: answered ? length : ring + length,
                         menuInputs: inputs.filter { $0.kind == "menu" }.map { ($0.node, $0.invalid == true ? "invalid" : $0.digits) },
                         lastNode: path.last)
        }
        let json = try Self.report(log)
        try expected.check(json, malformed: Self.callCount / 500)
        #expect((json["outcomes"] as? [String: Int])?["mystery"] == expected.outcomes["mystery"])
    }
}
