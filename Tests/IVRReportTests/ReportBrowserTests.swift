import Foundation
import IVRCommands
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRReport

/// The HTML report in a real browser: headless Chromium parses the page and
/// dumps the DOM it built; every chart must be there with all its bars.
@Suite struct ReportBrowserTests {
    @Test(.enabled(if: TestTools.onPath("chromium"), TestTools.missing("chromium", package: "chromium")),
          .timeLimit(.minutes(10)))
    func chromiumRendersEveryChart() async throws {
        let bundles = try SimulatedCalls.bundles()
        var rng = SeededGenerator(seed: 11)
        var records: [CallRecord] = []
        for i in 0..<400 {
            records.append(try await SimulatedCalls.call(i, bundles: bundles, rng: &rng).record(id: "b\(i)", backend: "simulate"))
        }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("calls.jsonl", records.map { $0.jsonLine() }.joined(separator: "\n") + "\n")
        var o = ReportRunner.Options(files: ["calls.jsonl"])
        o.currentDirectory = folder.path
        o.format = .html
        o.output = "report.html"
        #expect(ReportRunner.run(o).exitCode == 0)

        let stats = CallStatistics(records)
        let shot = ProcessInfo.processInfo.environment["IVRC_REPORT_SCREENSHOT"] ?? folder.file("report.png")
        let r = try await runProcess("/bin/bash", [TestTools.repositoryRoot + "/scripts/report-browser-test.sh", folder.file("report.html"), shot])
        try #require(r.status == 0, "the browser script failed: \(r.stderr)")

        // The DOM as Chromium built it: one <svg> per chart, each with the bars it announces.
        let svgs = r.stdout.components(separatedBy: "<svg").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
        #expect(svgs.count == ReportHTMLFormatter.chartCount(stats))
        #expect(svgs.count == 2 + stats.flows.count + stats.flows.reduce(0) { $0 + $1.menus.count })
        for svg in svgs {
            let announced = svg.components(separatedBy: "data-bars=\"").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
            #expect(announced == svg.components(separatedBy: "class=\"bar\"").count - 1)
        }
        // The hours chart has 24 bars; each menu chart one bar per key chosen.
        #expect(svgs.contains { $0.contains("data-bars=\"24\"") })
        for menu in stats.flows.flatMap(\.menus) {
            #expect(svgs.contains { $0.contains("Choices in menu \(menu.node)") && $0.contains("data-bars=\"\(menu.options.count)\"") })
        }
        // The screenshot is a real PNG of a tall page.
        let png = try #require(FileManager.default.contents(atPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 10_000)
    }
}
