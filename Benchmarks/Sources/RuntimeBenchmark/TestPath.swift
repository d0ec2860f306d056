import Foundation
import BenchmarkSupport
import IVRBytecode
import IVRCheck
import IVRRuntime

/// `ivrc test` on a generated project: one small flow that reads `open()`,
/// and a test file of `cases` cases, timed through `FlowTestSuite.run` (what
/// `ivrc test` runs: build, test file parse, every case, its checks and
/// coverage; printing left out). Three test files of the same cases: no
/// `at:` (the baseline), one `at:` for the whole file, and an `at:` on every
/// case. Then the interpreter alone on the same calls (`Throughput`).
enum TestPath {
    struct Figures {
        var cases: Int
        var seconds: Double
        var casesPerSecond: Double { Double(cases) / seconds }
    }

    static let flow = """
    ivr: desk
    start: welcome
    hours:
      office:
        timezone: America/New_York
        mon-fri: "08:00-17:00"
        closed: ["2026-12-25"]
    nodes:
      welcome:
        - branch:
            - if: open("office")
              then: main-menu
            - else: after-hours
      main-menu:
        menu:
          prompt:
            say: "For sales, press 1. For support, press 2."
          options:
            "1": sales
            "2": support
      sales:
        - say: "Sales is busy, goodbye."
        - hangup
      support:
        - say: "Support is busy, goodbye."
        - hangup
      after-hours:
        - say: "We are closed."
        - hangup

    """

    enum Clock: String, CaseIterable {
        case none = "no at:"
        case file = "one at: for the file"
        case everyCase = "at: on every case"
    }

    /// The test file: `cases` cases pressing 1 or 2, each expecting only the
    /// first node, so every variant passes whatever the real clock says.
    static func testFile(cases: Int, clock: Clock) -> String {
        var text = "flow: desk\n"
        if clock == .file { text += "at: \"2026-11-23T10:00:00-05:00\"\n" }
        text += "cases:\n"
        for i in 0..<cases {
            text += "  - name: case \(i)\n"
            if clock == .everyCase {
                // Minutes and days vary, so no two cases share a time.
                text += "    at: \"2026-11-\(10 + i % 20)T\(10 + i % 7):\(i % 60 < 10 ? "0" : "")\(i % 60):00-05:00\"\n"
            }
            text += "    input: [\"\(1 + i % 2)\"]\n"
            text += "    expect: {visited: [welcome]}\n"
        }
        return text
    }

    /// Writes the project of one variant under `scratch`; returns its folder.
    static func project(cases: Int, clock: Clock, scratch: String) throws -> String {
        let folder = scratch + "/test-path-\(Clock.allCases.firstIndex(of: clock) ?? 0)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(flow.utf8).write(to: URL(fileURLWithPath: folder + "/desk.yaml"))
        try Data(testFile(cases: cases, clock: clock).utf8).write(to: URL(fileURLWithPath: folder + "/desk.test.yaml"))
        return folder
    }

    /// One run of the suite with an `at:` on every case, then the same calls
    /// replayed into the VM alone (`vmAlone`), untimed: the work whose
    /// instructions `valgrind --tool=callgrind` counts (the inclusive counts
    /// of `FlowTestSuite.run` and of `vmAlone`).
    static func runOnce(_ folders: [(Clock, String)]) async throws {
        guard let (_, folder) = folders.first(where: { $0.0 == .everyCase }) else { return }
        let result = await FlowTestSuite.run(ProjectPaths(paths: [folder], excluding: []), currentDirectory: folder)
        guard case .success(let r) = result, r.files.flatMap({ $0.cases ?? [] }).allSatisfy(\.passed) else {
            throw BenchmarkError("test path: \(result)")
        }
        let w = try Workload.testProject(name: "test path", folder: folder)
        var replays: [Replay] = []
        for call in w.calls { replays.append(await Replay.record(call, bundle: w.bundle)) }
        blackHole(vmAlone(replays, bundle: w.bundle))
    }

    /// Every call replayed into `CallVM` once; the effects seen.
    @inline(never)
    static func vmAlone(_ replays: [Replay], bundle: VerifiedBundle) -> Int {
        var effects = 0
        for r in replays {
            var machine = r.start(bundle)
            effects &+= r.run(&machine)
        }
        return effects
    }

    /// Best of `repeats` runs of each variant's whole suite, the variants
    /// taking turns (after one warm-up round) so that load from other work
    /// falls on all of them alike; throws when a case fails.
    static func measure(_ folders: [(Clock, String)], repeats: Int) async throws -> [Clock: Figures] {
        var best: [Clock: Figures] = [:]
        for attempt in 0...repeats {
            for (clock, folder) in folders {
                let start = Probe.nanoseconds()
                let result = await FlowTestSuite.run(ProjectPaths(paths: [folder], excluding: []), currentDirectory: folder)
                let seconds = Double(Probe.nanoseconds() - start) / 1e9
                guard case .success(let r) = result else { throw BenchmarkError("test path: \(result)") }
                let all = r.files.flatMap { $0.cases ?? [] }
                guard !all.isEmpty, all.allSatisfy(\.passed) else {
                    throw BenchmarkError("test path: a case failed or the file is malformed: \(r.files.flatMap(\.diagnostics))")
                }
                guard attempt > 0 else { continue }
                if seconds < best[clock]?.seconds ?? .infinity { best[clock] = Figures(cases: all.count, seconds: seconds) }
            }
        }
        return best
    }
}
