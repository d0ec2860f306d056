import Foundation
import IVRBytecode
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRReport

/// Calls that go on in another flow (`transfer: {ivr: billing}`): their
/// records say where each node is, and the report counts a menu (and a
/// hang-up) under the flow it is in, not the flow the call started in.
@Suite struct ReportIVRTransferTests {
    /// Both flows have a node `menu`.
    static func bundle() throws -> VerifiedBundle {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("main.yaml", """
            ivr: main
            extension: "100"
            nodes:
              menu:
                menu:
                  prompt: {say: "For billing, press 1."}
                  options:
                    "1": {transfer: {ivr: billing}}
                    "2": front
              front: {transfer: {group: front-desk}}
            """)
        try folder.write("billing.yaml", """
            ivr: billing
            nodes:
              menu:
                menu:
                  prompt: {say: "To pay, press 2."}
                  options: {"2": pay}
              pay: {transfer: {group: payments}}
            """)
        return try FlowBuild.build(paths: [folder.path], currentDirectory: folder.path).get().bundle
    }

    static func records(_ inputs: [String]) async throws -> [CallRecord] {
        let bundle = try bundle()
        let main = try #require(bundle.flowIndex("main"))
        var records: [CallRecord] = []
        for (i, input) in inputs.enumerated() {
            let backend = ScriptedBackend(tokens: try InputToken.parse(input).get())
            let report = await CallDriver.run(bundle, flow: main, backend: backend, caller: "+15550100")
            // Through the log's text, as `ivrc report` reads it.
            records.append(try #require(CallRecord.parse(line: report.record(id: "c\(i)", backend: "simulate").jsonLine())))
        }
        return records
    }

    @Test func recordsSayWhichFlowEachNodeIsIn() async throws {
        let records = try await Self.records(["1 2", "2"])
        #expect(records[0].path == ["menu", "menu", "pay"])
        #expect(records[0].pathFlows == ["main", "billing", "billing"])
        #expect(records[0].inputs == [CallRecord.Input(node: "menu", digits: "1", kind: "menu"),
                                      CallRecord.Input(node: "menu", digits: "2", kind: "menu", flow: "billing")])
        // A call that stayed in its flow writes what it always did.
        #expect(records[1].pathFlows == nil)
        #expect(records[1].inputs == [CallRecord.Input(node: "menu", digits: "2", kind: "menu")])
        #expect(!records[1].jsonLine().contains("pathFlows"))
    }

    @Test func menusAndHangUpsCountUnderTheirOwnFlow() async throws {
        let s = CallStatistics(try await Self.records(["1 2", "1 2", "2", "1 !"]))
        #expect(s.flows.map(\.name) == ["main", "billing"])
        let main = s.flows[0], billing = s.flows[1]
        #expect(main.calls == 4 && main.transferredIn == 0)
        #expect(main.menus == [CallStatistics.Menu(node: "menu", options: [.init("1", 3), .init("2", 1)])])
        #expect(main.abandonment.isEmpty)
        #expect(billing.calls == 0 && billing.transferredIn == 3)
        #expect(billing.menus == [CallStatistics.Menu(node: "menu", options: [.init("2", 2)])])
        #expect(billing.abandonment == [.init("menu", 1)])

        let text = ReportTextFormatter.format(s, files: 1, malformed: 0)
        #expect(text.contains("Calls per flow\n  main  4  100.0%\n\n"), "\(text)")
        #expect(text.contains("""
            Flow billing: 0 calls, 3 transferred in through ivr:
              Menu menu: 2 choices
                key 2  2  100.0%
              Abandoned (caller hung up), by node; % of the flow's calls
                menu  1   33.3%

            """), "\(text)")
        let json = try #require(jsonObject(ReportJSONFormatter.format(s, files: 1, malformed: 0)))
        let flows = try #require(json["flows"] as? [[String: Any]])
        #expect(flows.map { $0["transferredIn"] as? Int } == [0, 3])
        let html = ReportHTMLFormatter.format(s, files: 1, malformed: 0)
        #expect(html.components(separatedBy: "<svg").count - 1 == ReportHTMLFormatter.chartCount(s))
        #expect(html.contains("<p>0 calls, 3 transferred in through ivr:</p>"))
    }

    /// A record written before `pathFlows` and an input's `flow` existed
    /// reads, and counts as it did: every node in the record's flow.
    @Test func olderRecordsStillRead() throws {
        let line = #"{"backend":"sip","destination":null,"duration":3,"durationMs":3000,"end":"2026-11-23T15:00:03.000Z","#
            + #""flow":"main","id":"old","inputs":[{"digits":"1","kind":"menu","node":"menu"}],"outcome":"caller-hangup","#
            + #""path":["menu","menu"],"start":"2026-11-23T15:00:00.000Z"}"#
        let record = try #require(CallRecord.parse(line: line))
        #expect(record.pathFlows == nil && record.inputs[0].flow == nil)
        #expect(record.flow(atPath: 1) == "main" && record.otherFlows.isEmpty)
        let s = CallStatistics([record])
        #expect(s.flows.map(\.name) == ["main"])
        #expect(s.flows[0].abandonment == [.init("menu", 1)])
        #expect(record.jsonLine() == CallRecord.parse(line: record.jsonLine())?.jsonLine())
    }
}
