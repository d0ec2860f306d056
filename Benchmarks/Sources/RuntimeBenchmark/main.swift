import Foundation
import BenchmarkSupport
import IVRRuntime

/// The runtime's figures (docs/performance.md, "Runtime"):
///
///     RuntimeBenchmark                          sizes, memory (in child processes), throughput
///     RuntimeBenchmark memory vm|tasks EXAMPLE [COUNT]   one memory figure, in this process
///
/// Examples are read from `examples/` of the repository (found from this
/// file's path, or give `--root PATH`).
var arguments = Array(CommandLine.arguments.dropFirst())
var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
if let i = arguments.firstIndex(of: "--root"), i + 1 < arguments.count {
    root = arguments[i + 1]
    arguments.removeSubrange(i...(i + 1))
}
let calls = 100_000
let menus = 2_000

func pad(_ s: String, _ width: Int = 22) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }

func percent(_ part: Int, _ whole: Int) -> String { String(format: "%.1f%%", 100 * Double(part) / Double(whole)) }

do {
    if arguments.first == "memory", arguments.count >= 3 {
        let examples = try Workload.examples(root: root)
        guard let w = examples.first(where: { $0.name == arguments[2] }) else { throw BenchmarkError("no example \(arguments[2])") }
        let count = arguments.count > 3 ? Int(arguments[3]) ?? calls : calls
        let f = switch arguments[1] {
        case "tasks": try await Memory.suspendedTasks(w, count: count)
        case "bare-tasks": try await Memory.bareTasks(count: count)
        default: try Memory.pausedMachines(w, count: count)
        }
        let label = arguments[1] == "bare-tasks" ? "(any flow)" : w.name
        print(String(format: "  %@ %@ %7d calls  RSS +%6.1f MB  %7.0f bytes/call",
                     pad(label) as NSString, pad(arguments[1], 10) as NSString, f.count, Double(f.bytes) / 1e6, f.perCall))
        exit(0)
    }

    let scratch = NSTemporaryDirectory() + "/ivrc-runtime-benchmark-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let examples = try Workload.examples(root: root)
    let generated = try Workload.generated(menus: menus, scratch: scratch)

    print("Bundle size with --strip, as a share of the flow YAML (target <= 25%)")
    for w in examples + [generated] {
        print(String(format: "  %@ YAML %8d B  bundle %7d B = %6@   (with debug section %7d B = %@)",
                     pad(w.name) as NSString, w.yamlBytes, w.bundleBytes.count, percent(w.bundleBytes.count, w.yamlBytes) as NSString,
                     w.fullBundleSize, percent(w.fullBundleSize, w.yamlBytes) as NSString))
        let parts = sections(w.bundleBytes).map { "\($0.name) \($0.length) B" }.joined(separator: ", ")
        print("  \(String(repeating: " ", count: 22)) sections: \(parts)")
    }

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
    print("  (vm: CallVM values paused at WAITKEY in one array; tasks: one Task per call running CallDriver, suspended in")
    print("   collect; bare-tasks: the baseline, a Task suspended on a continuation doing nothing else)")

    print("\nThroughput, one thread (target >= 16,667 calls/s = 1,000,000 calls/minute)")
    var total = Throughput.Figures(calls: 0, instructions: 0, driverSeconds: 0, vmSeconds: 0, decodeSeconds: 0)
    for w in examples + [generated] {
        let rounds = max(1, 4_000 / w.calls.count)
        let f = await Throughput.measure(w, rounds: rounds)
        if w.name != generated.name {
            total.calls += f.calls
            total.instructions += f.instructions
            total.driverSeconds += f.driverSeconds
            total.vmSeconds += f.vmSeconds
            total.decodeSeconds += f.decodeSeconds
        }
        report(w.name, f)
    }
    report("examples (mix)", total)
} catch {
    print("error: \(error)")
    exit(1)
}

func report(_ name: String, _ f: Throughput.Figures) {
    print(String(format: "  %@ %5d calls, %4.0f instr/call | simulate path %8.0f calls/s (%6.1f ns/instr) | VM alone %8.0f calls/s, %5.1f ns/instr | decode-only baseline %5.1f ns/instr, VM = %.1fx baseline",
                 pad(name) as NSString, f.calls, Double(f.instructions) / Double(f.calls), f.driverCallsPerSecond, f.driverNanosPerInstruction,
                 f.vmCallsPerSecond, f.vmNanosPerInstruction, f.decodeNanosPerInstruction,
                 f.vmNanosPerInstruction / f.decodeNanosPerInstruction))
}

/// The section table of a bundle (docs/bytecode.md): names and lengths.
func sections(_ bytes: [UInt8]) -> [(name: String, length: Int)] {
    guard bytes.count > 17 else { return [] }
    let names = [1: "strings", 2: "flows", 3: "code", 4: "debug"]
    func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
    return (0..<Int(bytes[16])).compactMap { i in
        let entry = 17 + 9 * i
        guard entry + 9 <= bytes.count else { return nil }
        return (names[Int(bytes[entry])] ?? "?", u32(entry + 5))
    }
}
