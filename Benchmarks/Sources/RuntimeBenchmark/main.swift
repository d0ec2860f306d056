import Foundation
import BenchmarkSupport
import IVRBytecode
import IVRRuntime

/// The runtime's figures (docs/performance.md, "Runtime"):
///
///     RuntimeBenchmark [sizes|memory|throughput|testpath]   every section, or one
///     RuntimeBenchmark testpath CASES [once]   the test path on CASES cases; `once`: one
///                                               run of each variant, untimed (for callgrind)
///     RuntimeBenchmark memory vm|tasks|bare-tasks EXAMPLE [COUNT]   one memory figure, in this process
///
/// Examples are read from `examples/` of the repository (found from this
/// file's path, or give `--root PATH`). The memory section runs each figure
/// in a child process, so freed memory of other work cannot hide growth.
var arguments = Array(CommandLine.arguments.dropFirst())
var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
if let i = arguments.firstIndex(of: "--root"), i + 1 < arguments.count {
    root = arguments[i + 1]
    arguments.removeSubrange(i...(i + 1))
}
let calls = 100_000
let menus = 2_000

do {
    if arguments.first == "memory", arguments.count >= 3 {
        try await memoryFigure(mode: arguments[1], example: arguments[2], root: root, count: arguments.count > 3 ? Int(arguments[3]) ?? calls : calls)
        exit(0)
    }
    let only = arguments.first
    let scratch = NSTemporaryDirectory() + "/ivrc-runtime-benchmark-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let testPathCases = only == "testpath" && arguments.count > 1 ? Int(arguments[1]) ?? 20_000 : 20_000
    let once = only == "testpath" && arguments.count > 2 && arguments[2] == "once"
    // The test path needs neither workload (nor their set-up under callgrind).
    if only != "testpath" {
        let examples = try Workload.examples(root: root)
        let generated = try Workload.generated(menus: menus, scratch: scratch)
        if only == nil || only == "sizes" { sizes(examples + [generated]) }
        if only == nil || only == "memory" { try memory(examples, root: root) }
        if only == nil || only == "throughput" { await throughput(examples, generated) }
    }
    if only == nil || only == "testpath" { try await testPath(scratch: scratch, cases: testPathCases, once: once) }
} catch {
    print("error: \(error)")
    exit(1)
}

func memory(_ examples: [Workload], root: String) throws {
    print("\nMemory: \(calls) concurrent calls, each waiting in its first menu; RSS growth (target <= 2048 bytes/call)")
    print(String(format: "  CallVM: MemoryLayout size %d, stride %d bytes", MemoryLayout<CallVM>.size, MemoryLayout<CallVM>.stride))
    for (w, mode) in examples.flatMap({ w in ["vm", "tasks"].map { (w, $0) } }) + [(examples[0], "bare-tasks")] {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["memory", mode, w.name, String(calls), "--root", root]
        fflush(nil)  // so the child's line lands after ours
        try child.run()
        child.waitUntilExit()
    }
    print("  (vm: CallVM values paused at WAITKEY, with their collect effect, in one array; tasks: one Task per call")
    print("   running CallDriver, suspended in collect; bare-tasks: the baseline, a Task suspended on a continuation)")
}

func memoryFigure(mode: String, example: String, root: String, count: Int) async throws {
    guard let w = try Workload.examples(root: root).first(where: { $0.name == example }) else {
        throw BenchmarkError("no example \(example)")
    }
    let f = switch mode {
    case "tasks": try await Memory.suspendedTasks(w, count: count)
    case "bare-tasks": try await Memory.bareTasks(count: count)
    default: try Memory.pausedMachines(w, count: count)
    }
    print(String(format: "  %@ %@ %7d calls  RSS +%6.1f MB  %7.0f bytes/call",
                 pad(mode == "bare-tasks" ? "(any flow)" : w.name) as NSString, pad(mode, 10) as NSString,
                 f.count, Double(f.bytes) / 1e6, f.perCall))
}

func throughput(_ examples: [Workload], _ generated: Workload) async {
    print("\nThroughput, one thread (target >= 16,667 calls/s = 1,000,000 calls/minute)")
    var total = Throughput.Figures(calls: 0, instructions: 0, driverSeconds: 0, vmSeconds: 0, decodeSeconds: 0)
    for w in examples + [generated] {
        let f = await Throughput.measure(w, rounds: max(1, 4_000 / w.calls.count))
        report(w.name, f)
        guard w.name != generated.name else { continue }
        total.calls += f.calls
        total.instructions += f.instructions
        total.driverSeconds += f.driverSeconds
        total.vmSeconds += f.vmSeconds
        total.decodeSeconds += f.decodeSeconds
    }
    report("examples (mix)", total)
}

func testPath(scratch: String, cases: Int, once: Bool) async throws {
    print("\nThe test path: `ivrc test` (FlowTestSuite.run: build, test file, cases, checks, coverage; no printing) on")
    print("\(cases) cases of a small flow that reads open(), best of 3 each, variants taking turns")
    print("(targets: at: on every case <= 1.2x no at:; the test path <= 2x the time of the VM alone on the same calls)")
    var folders: [(TestPath.Clock, String)] = []
    for clock in TestPath.Clock.allCases {
        folders.append((clock, try TestPath.project(cases: cases, clock: clock, scratch: scratch)))
    }
    if once {
        try await TestPath.runOnce(folders)
        return
    }
    let figures = try await TestPath.measure(folders, repeats: 3)
    guard let baseline = figures[.none] else { return }
    for clock in TestPath.Clock.allCases {
        guard let f = figures[clock] else { continue }
        print(String(format: "  %@ %7.3f s  %8.0f cases/s  %.2fx no at:", pad(clock.rawValue) as NSString, f.seconds,
                     f.casesPerSecond, f.seconds / baseline.seconds))
    }
    guard let everyCase = figures[.everyCase], let folder = folders.last?.1 else { return }
    let w = try Workload.testProject(name: "test path", folder: folder)
    let vm = await Throughput.measure(w, rounds: 1, repeats: 3)
    print(String(format: "  %@ %7.3f s  %8.0f calls/s  (simulate path %.0f calls/s)", pad("VM alone, same calls") as NSString,
                 vm.vmSeconds, vm.vmCallsPerSecond, vm.driverCallsPerSecond))
    print(String(format: "  test path with at: on every case / VM alone: %.1fx", everyCase.seconds / vm.vmSeconds))
}

func report(_ name: String, _ f: Throughput.Figures) {
    print(String(format: "  %@ %5d calls, %3.0f instr/call | simulate path %7.0f calls/s, %5.0f ns/instr | VM alone %7.0f calls/s, %5.1f ns/instr | decode baseline %4.1f ns/instr, VM = %.1fx",
                 pad(name) as NSString, f.calls, Double(f.instructions) / Double(f.calls), f.driverCallsPerSecond, f.driverNanosPerInstruction,
                 f.vmCallsPerSecond, f.vmNanosPerInstruction, f.decodeNanosPerInstruction,
                 f.vmNanosPerInstruction / f.decodeNanosPerInstruction))
}

func pad(_ s: String, _ width: Int = 22) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
