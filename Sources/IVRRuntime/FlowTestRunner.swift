import Foundation
import IVRBytecode
import IVRCheck
import IVRSyntax

/// `ivrc test`, as a function: builds the project, runs every case of every
/// `*.test.yaml`, prints each case (ok / FAIL with the differences and the
/// transcript), a coverage line, then `N passed, N failed`. Exit 1 when a
/// case failed or a test file is malformed.
public enum FlowTestRunner {
    public static func run(paths: [String], currentDirectory: String = FileManager.default.currentDirectoryPath) async -> (output: String, exitCode: Int32) {
        let built: BuildPipeline.Output
        switch BuildPipeline.build(paths: paths, currentDirectory: currentDirectory) {
        case .success(let b): built = b
        case .failure(let f): return (f.message + "\n", f.exitCode)
        }
        var out = ""
        var passed = 0, failed = 0
        var coverage = Coverage(flows: built.project.flows)
        for testFile in built.project.testFiles {
            let abs = BuildPipeline.absolute(testFile, cwd: currentDirectory)
            guard let data = FileManager.default.contents(atPath: abs) else { return ("error: cannot read \(testFile)\n", 2) }
            let (parsed, diagnostics) = FlowTestParser.parse([UInt8](data), file: testFile)
            for d in diagnostics { out += BuildPipeline.describe(d) + "\n" }
            guard let parsed, !diagnostics.contains(where: { $0.severity == .error }) else {
                out += "FAIL \(testFile): malformed test file\n"
                failed += 1
                continue
            }
            guard let flow = built.bundle.flowIndex(parsed.flow.value) else {
                let guess = closestMatch(to: parsed.flow.value, in: built.bundle.flowNames).map { "; did you mean '\($0)'?" } ?? ""
                out += "\(testFile):\(parsed.flow.range.start): error: no flow named '\(parsed.flow.value)'\(guess)\n"
                out += "FAIL \(testFile): unknown flow\n"
                failed += 1
                continue
            }
            for c in parsed.cases {
                let record = await runCase(c, bundle: built.bundle, flow: flow)
                coverage.add(record)
                let problems = check(c.expect, record)
                if problems.isEmpty {
                    passed += 1
                    out += "ok   \(testFile): \(c.name)\n"
                } else {
                    failed += 1
                    out += "FAIL \(testFile): \(c.name)\n"
                    for p in problems { out += "     \(p)\n" }
                    out += Transcript.render(record, indent: "     | ")
                }
            }
        }
        out += coverage.summary + "\n"
        out += "\(passed) passed, \(failed) failed\n"
        return (out, failed == 0 ? 0 : 1)
    }

    static func runCase(_ c: FlowTestCase, bundle: VerifiedBundle, flow: Int) async -> CallReport {
        let start = c.at.flatMap { SimulateRunner.parseTime($0.value) } ?? Date()
        let backend = ScriptedBackend(tokens: c.input, at: start, webhooks: c.webhooks)
        return await CallDriver.run(bundle, flow: flow, backend: backend, caller: c.caller ?? "+15555550100")
    }

    /// Each unmet expectation, as "expected X, got Y".
    static func check(_ e: FlowTestCase.Expectations, _ r: CallReport) -> [String] {
        var problems: [String] = []
        if let outcome = e.outcome, outcome != r.outcome.rawValue {
            problems.append("outcome: expected \(outcome), got \(r.outcome.rawValue)")
        }
        if let expected = e.destination {
            let got = r.destination.map { "\($0.kind) \($0.value)" } ?? "none"
            let want = expected.map { "\($0.kind) \($0.value)" } ?? "none"
            if got != want { problems.append("destination: expected \(want), got \(got)") }
        }
        if let visited = e.visited, visited != r.visited {
            problems.append("visited: expected [\(visited.joined(separator: ", "))], got [\(r.visited.joined(separator: ", "))]")
        }
        if let heard = e.heard {
            let texts = r.events.compactMap(\.heardText)
            var position = 0
            for phrase in heard {
                guard let i = texts[position...].firstIndex(where: { $0.contains(phrase) }) else {
                    problems.append("heard: expected \"\(phrase)\" (in order), not heard")
                    break
                }
                position = i
            }
        }
        for (name, value) in e.variables ?? [] {
            let got = r.variables.first { $0.name == name }?.value
            if got != value { problems.append("variable \(name): expected \"\(value)\", got \(got.map { "\"\($0)\"" } ?? "unset")") }
        }
        return problems
    }
}

/// Nodes visited and menu options chosen across all cases, per flow.
struct Coverage {
    private var nodes: [(flow: String, node: String)] = []
    private var options: [(flow: String, node: String, key: Character)] = []
    private var seenNodes: Set<String> = []
    private var seenOptions: Set<String> = []

    init(flows: [Flow]) {
        for flow in flows.sorted(by: { $0.name.value < $1.name.value }) {
            for node in flow.nodes {
                nodes.append((flow.name.value, node.name.value))
                for step in node.steps {
                    guard case .menu(let menu) = step.kind else { continue }
                    for o in menu.options { options.append((flow.name.value, node.name.value, o.key.value.character)) }
                }
            }
        }
    }

    mutating func add(_ r: CallReport) {
        for p in r.path { seenNodes.insert("\(p.flow)/\(p.node)") }
        for e in r.events {
            if case .input(let digits, "menu") = e.kind, digits.count == 1 { seenOptions.insert("\(e.flow)/\(e.node):\(digits)") }
        }
    }

    var summary: String {
        let uncoveredNodes = nodes.filter { !seenNodes.contains("\($0.flow)/\($0.node)") }
        let uncoveredOptions = options.filter { !seenOptions.contains("\($0.flow)/\($0.node):\($0.key)") }
        var line = "coverage: nodes \(nodes.count - uncoveredNodes.count)/\(nodes.count), "
        line += "menu options \(options.count - uncoveredOptions.count)/\(options.count)"
        let missing = uncoveredNodes.map { "\($0.flow)/\($0.node)" } + uncoveredOptions.map { "\($0.flow)/\($0.node) '\($0.key)'" }
        if !missing.isEmpty { line += "; not covered: " + missing.joined(separator: ", ") }
        return line
    }
}
