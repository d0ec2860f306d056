import Foundation

/// `FrontEndBenchmark startup [--ivrc PATH] [--best-of N]`: the whole
/// `ivrc` process as a user times it, against `/bin/true` (the cost of
/// starting any process) in the same run: `ivrc --version`, `ivrc check` on
/// a one-node flow and on a small example project. Target (issue 19): check
/// on a small project within 5 ms.
enum Startup {
    static let oneNode = """
    ivr: one
    nodes:
      hello:
        - say: "Hello."
        - hangup

    """

    static func run(ivrc: String, root: String, repeats: Int) throws {
        let scratch = NSTemporaryDirectory() + "/ivrc-startup-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let flow = scratch + "/one.yaml"
        try Data(oneNode.utf8).write(to: URL(fileURLWithPath: flow))
        let runs: [(String, [String])] = [
            ("/bin/true (baseline)", ["/bin/true"]),
            ("ivrc --version", [ivrc, "--version"]),
            ("ivrc check one-node flow", [ivrc, "check", flow]),
            ("ivrc check dental-front-desk", [ivrc, "check", root + "/examples/dental-front-desk"]),
        ]
        print("Start-up, whole process, best of \(repeats) (\(ivrc))")
        var baseline = 0.0
        for (name, arguments) in runs {
            guard let ms = ProcessTiming.best(arguments, repeats: repeats) else {
                print("  \(name): did not run or failed")
                continue
            }
            if baseline == 0 { baseline = ms }
            print("  " + name.padding(toLength: 30, withPad: " ", startingAt: 0)
                  + String(format: " %7.2f ms  (%.2f ms over the baseline)", ms, ms - baseline))
        }
    }
}
