import Foundation
import BenchmarkSupport
import IVRCheck
import IVRSyntax

/// `ivrc check` on a generated flow against a bare libyaml event scan of the
/// same bytes, in the same run. Prints the ratio (target: at most 2x), then
/// a breakdown of the check time by phase (each phase timed on its own, so
/// the parts do not add up exactly to the whole).
func measure(_ label: String, repeats: Int, _ body: () -> Void) -> Double {
    body() // warm up
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        best = min(best, elapsed)
    }
    return best
}

let arguments = CommandLine.arguments.dropFirst()
let phases = arguments.contains("--phases")
let sizes = arguments.prefix { $0 != "--repeat" && $0 != "--best-of" }.compactMap { Int($0) }
let bestOf = arguments.firstIndex(of: "--best-of").flatMap { i in
    arguments.index(after: i) < arguments.endIndex ? Int(arguments[arguments.index(after: i)]) : nil }
if arguments.first == "shapes" {
    let ivrc = arguments.firstIndex(of: "--ivrc").flatMap { i in
        arguments.index(after: i) < arguments.endIndex ? arguments[arguments.index(after: i)] : nil }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path + "/.build/release/ivrc"
    do {
        try Shapes.run(ivrc: ivrc, sizes: sizes.isEmpty ? [2000, 20000] : sizes, repeats: bestOf ?? 7, keep: arguments.contains("--keep"))
    } catch {
        print("error: \(error)")
        exit(1)
    }
    exit(0)
}
if arguments.first == "startup" {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    let ivrc = arguments.firstIndex(of: "--ivrc").flatMap { i in
        arguments.index(after: i) < arguments.endIndex ? arguments[arguments.index(after: i)] : nil }
        ?? root + "/.build/release/ivrc"
    do {
        try Startup.run(ivrc: ivrc, root: root, repeats: bestOf ?? 21)
    } catch {
        print("error: \(error)")
        exit(1)
    }
    exit(0)
}
if arguments.contains("--profile") {
    // Parse and check (once, or `--repeat N` times; `--no-checks` parses
    // only, `--one-thread` keeps libyaml on the calling thread, `--scan` is
    // the libyaml baseline, `--graph` builds only the control-flow graph),
    // nothing else: for valgrind --tool=callgrind or perf.
    // `--shape wide|expressions`: one of `FlowShapes` instead of the binary tree.
    let shape = arguments.firstIndex(of: "--shape").flatMap { i in
        arguments.index(after: i) < arguments.endIndex ? arguments[arguments.index(after: i)] : nil }
    let menus = sizes.first ?? 2000
    let text = switch shape {
    case "wide": FlowShapes.wide(menus: menus)
    case "expressions": FlowShapes.expressions(nodes: menus)
    default: FlowGenerator.flow(menus: menus)
    }
    let bytes = Array(text.utf8)
    let repeats = arguments.firstIndex(of: "--repeat").flatMap { i in
        arguments.index(after: i) < arguments.endIndex ? Int(arguments[arguments.index(after: i)]) : nil } ?? 1
    var count = 0
    if arguments.contains("--graph"), let flow = FlowParser.parseFlow(bytes, file: "big.yaml").flow {
        for _ in 0..<repeats { count = FlowGraph(flow).vertexCount }
        print(count, "vertices")
        exit(0)
    }
    if arguments.contains("--scan") {
        for _ in 0..<repeats { count = YAMLReader.countEvents(bytes) }
        print(count, "events")
        exit(0)
    }
    let oneThread = arguments.contains("--one-thread")
    for _ in 0..<repeats {
        let parsed = FlowParser.parseFlow(bytes, file: "big.yaml", pipelined: oneThread ? false : nil)
        var project = Project()
        if let flow = parsed.flow { project.flows = [flow] }
        count = arguments.contains("--no-checks") ? parsed.diagnostics.count
            : Checker.check(project).count + parsed.diagnostics.count
    }
    print(count, "diagnostics")
    exit(0)
}
for menus in sizes.isEmpty ? [2000, 20000] : sizes {
    let text = FlowGenerator.flow(menus: menus)
    let bytes = Array(text.utf8)
    // The first runs of a process pay for fresh memory (page faults, the
    // allocator's thresholds adapting), and a run on both cores is more
    // often disturbed than one on a single core: take the best of enough runs.
    let repeats = bestOf ?? (menus > 5000 ? 5 : 15)
    var events = 0
    let scan = measure("scan", repeats: repeats) { events = YAMLReader.countEvents(bytes) }
    var diagnostics: [Diagnostic] = []
    let check = measure("check", repeats: repeats) {
        let parsed = FlowParser.parseFlow(bytes, file: "big.yaml")
        var project = Project()
        project.diagnostics = parsed.diagnostics
        if let flow = parsed.flow { project.flows = [flow] }
        diagnostics = Checker.check(project)
    }
    let errors = diagnostics.filter { $0.severity == .error }.count
    print(String(format: "menus=%d bytes=%d events=%d  libyaml scan %.1f ms  check %.1f ms  ratio %.2fx  (diagnostics: %d, errors: %d)",
                 menus, bytes.count, events, scan, check, check / scan, diagnostics.count, errors))
    for d in diagnostics.prefix(3) { print("  ", d.code.rawValue, d.message, d.range) }
    if phases {
        // One thread: the reader's and the builder's own cost.
        let read1 = measure("read", repeats: repeats) { _ = YAMLReader.read(bytes, file: "big.yaml", pipelined: false) }
        let parse1 = measure("parse", repeats: repeats) { _ = FlowParser.parseFlow(bytes, file: "big.yaml", pipelined: false) }
        // libyaml on its own thread, the tree (and the nodes) built meanwhile.
        let read2 = measure("read", repeats: repeats) { _ = YAMLReader.read(bytes, file: "big.yaml", pipelined: true) }
        let parse2 = measure("parse", repeats: repeats) { _ = FlowParser.parseFlow(bytes, file: "big.yaml", pipelined: true) }
        let parsed = FlowParser.parseFlow(bytes, file: "big.yaml")
        var project = Project()
        if let flow = parsed.flow { project.flows = [flow] }
        let checks = measure("checks", repeats: repeats) { _ = Checker.check(project) }
        print(String(format: "  one thread: YAML read (libyaml included) %.1f ms, AST build %.1f ms", read1, parse1 - read1))
        print(String(format: "  pipelined:  YAML read %.1f ms, read and build %.1f ms", read2, parse2))
        print(String(format: "  checks (built flow) %.1f ms", checks))
        if let flow = parsed.flow {
            let index = measure("index", repeats: repeats) { _ = FlowIndex(flow) }
            let graph = measure("graph", repeats: repeats) { _ = FlowGraph(flow) }
            print(String(format: "  of which, each alone: index %.1f ms, graph %.1f ms", index, graph))
        }
    }
}
