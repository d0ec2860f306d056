import Foundation
import IVRBytecode
import IVRCheck
import IVRSyntax

/// `ivrc test`, as a function: builds the project, runs every case of every
/// `*.test.yaml`, prints each case (ok / FAIL with the differences and the
/// transcript), a coverage line, then `N passed, N failed`. Exit 1 when a
/// case failed or a test file is malformed.
public enum FlowTestRunner {
    /// Paths that span several projects (each with its own manifest, as in
    /// `ivrc test examples/`) are tested project by project: each project's
    /// cases and coverage line, then one total.
    public static func run(paths: [String], currentDirectory: String = FileManager.default.currentDirectoryPath) async -> (output: String, exitCode: Int32) {
        let parts = ProjectLoader.split(paths: paths, currentDirectory: currentDirectory)
        var out = ""
        var passed = 0, failed = 0, projectsRun = 0
        for part in parts {
            let result = await runProject(part, currentDirectory: currentDirectory)
            switch result {
            case .failure(let f):
                // A folder of other projects holds no flows of its own: not a failure.
                if parts.count > 1, f.exitCode == 1, f.message.hasPrefix("error: no flows found") { continue }
                if parts.count == 1 { return (f.message + "\n", f.exitCode) }
                out += f.message + "\n"
                return (out, f.exitCode)
            case .success(let r):
                out += r.output
                passed += r.passed
                failed += r.failed
                projectsRun += 1
            }
        }
        if projectsRun == 0 { return ("error: no flows found in \(paths.isEmpty ? "." : paths.joined(separator: " "))\n", 1) }
        out += "\(passed) passed, \(failed) failed\n"
        return (out, failed == 0 ? 0 : 1)
    }

    /// One project's cases and coverage line, and its counts.
    static func runProject(_ part: ProjectPaths, currentDirectory: String) async
        -> Result<(output: String, passed: Int, failed: Int), BuildPipeline.Failure> {
        let built: BuildPipeline.Output
        switch BuildPipeline.build(paths: part.paths, currentDirectory: currentDirectory, excluding: part.excluding) {
        case .success(let b): built = b
        case .failure(let f): return .failure(f)
        }
        var out = ""
        var passed = 0, failed = 0
        var coverage = Coverage(flows: built.project.flows)
        for testFile in built.project.testFiles {
            let abs = BuildPipeline.absolute(testFile, cwd: currentDirectory)
            guard let data = FileManager.default.contents(atPath: abs) else {
                return .failure(.init(message: "error: cannot read \(testFile)", exitCode: 2))
            }
            let (parsed, diagnostics) = FlowTestParser.parse([UInt8](data), file: testFile)
            for d in diagnostics { out += BuildPipeline.describe(d) + "\n" }
            guard let parsed, !diagnostics.contains(where: { $0.severity == .error }) else {
                out += "FAIL \(testFile): malformed test file\n"
                failed += 1
                continue
            }
            guard let flow = built.bundle.flowIndex(parsed.flow.value) else {
                let known = built.bundle.flowNames.sorted()
                var unknown = Diagnostic(.E202, "test file names flow '\(parsed.flow.value)', which is not in the project",
                                         file: testFile, range: parsed.flow.range)
                if let guess = closestMatch(to: parsed.flow.value, in: known) { unknown.help = "did you mean '\(guess)'?" }
                out += BuildPipeline.describe(unknown) + "\n"
                if let help = unknown.help { out += "   = help: \(help)\n" }
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
        return .success((out, passed, failed))
    }

    static func runCase(_ c: FlowTestCase, bundle: VerifiedBundle, flow: Int) async -> CallReport {
        let start = c.at.flatMap { SimulateRunner.parseTime($0.value) } ?? Date()
        let backend = ScriptedBackend(tokens: c.input, at: start, webhooks: c.webhooks)
        return await CallDriver.run(bundle, flow: flow, backend: backend, caller: c.caller ?? "+15555550100")
    }

    /// Each unmet expectation, as "expected X, got Y". A sensitive value
    /// (a variable or destination the report shows as `***`) meets an
    /// expectation of its real value or of `***`; a failure prints `***`.
    static func check(_ e: FlowTestCase.Expectations, _ r: CallReport) -> [String] {
        var problems: [String] = []
        if let outcome = e.outcome, outcome != r.outcome.rawValue {
            problems.append("outcome: expected \(outcome), got \(r.outcome.rawValue)")
        }
        if let expected = e.destination {
            let got = r.destination.map { "\($0.kind) \($0.value)" } ?? "none"
            let want = expected.map { "\($0.kind) \($0.value)" } ?? "none"
            let real = r.destination.flatMap { d in r.hidden.destination.map { "\(d.kind) \($0)" } }
            if got != want, real != want { problems.append("destination: expected \(want), got \(got)") }
        }
        // The nodes named, in this order; others may come between (the spec's
        // own example leaves out the start node before `main-menu`).
        if let visited = e.visited, !Self.appearsInOrder(visited, in: r.visited) {
            problems.append("visited: expected [\(visited.joined(separator: ", "))] in this order, got [\(r.visited.joined(separator: ", "))]")
        }
        if let heard = e.heard {
            // In order, each phrase after the end of the one before: within
            // one prompt too, and no piece of a prompt counts twice.
            let texts = r.events.compactMap(\.heardText)
            var prompt = 0
            var from = texts.first?.startIndex
            for phrase in heard {
                var found: Range<String.Index>?
                while prompt < texts.count {
                    let text = texts[prompt]
                    if let start = from, let match = text.range(of: phrase, range: start..<text.endIndex) {
                        found = match
                        break
                    }
                    prompt += 1
                    from = prompt < texts.count ? texts[prompt].startIndex : nil
                }
                guard let match = found else {
                    let anywhere = texts.contains { $0.contains(phrase) }
                    problems.append("heard: expected \"\(phrase)\" "
                                    + (anywhere ? "after the phrases before it, but it was heard only earlier" : "(in order), not heard"))
                    break
                }
                from = match.upperBound
            }
        }
        for (name, value) in e.variables ?? [] {
            let got = r.variables.first { $0.name == name }?.value
            if got != value, r.hidden.variables[name] != value { problems.append("variable \(name): expected \"\(value)\", got \(got.map { "\"\($0)\"" } ?? "unset")") }
        }
        return problems
    }
}

extension FlowTestRunner {
    /// Whether `expected` is a subsequence of `actual` (each element after
    /// the one before it, not necessarily next to it).
    static func appearsInOrder(_ expected: [String], in actual: [String]) -> Bool {
        var rest = actual[...]
        for name in expected {
            guard let i = rest.firstIndex(of: name) else { return false }
            rest = rest[(i + 1)...]
        }
        return true
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
