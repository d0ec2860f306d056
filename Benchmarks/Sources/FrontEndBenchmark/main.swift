import Foundation
import BenchmarkSupport
import IVRCheck
import IVRSyntax

/// `ivrc check` on a generated flow against a bare libyaml event scan of the
/// same bytes, in the same run. Prints the ratio (target: at most 2x).
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

let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }
for menus in sizes.isEmpty ? [2000, 20000] : sizes {
    let text = FlowGenerator.flow(menus: menus)
    let bytes = Array(text.utf8)
    let repeats = menus > 5000 ? 3 : 7
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
    if errors > 0 { for d in diagnostics.prefix(5) { print("  ", d.code.rawValue, d.message, d.range) } }
}
