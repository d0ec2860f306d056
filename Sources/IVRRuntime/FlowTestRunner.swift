import Foundation
import IVRBytecode
import IVRCheck
import IVRSyntax

/// `ivrc test`, as a function: builds the project, runs every case of every
/// `*.test.yaml`, prints each case (ok / FAIL with the differences and the
/// transcript), a coverage line, then `N passed, N failed`. Exit 1 when a
/// case failed or a test file is malformed. Problems in a test file are
/// printed with `render` (the `ivrc test` command passes the compiler-style
/// block of `ivrc check`, with the source line and a caret).
public enum FlowTestRunner {
    /// Prints one diagnostic of a test file; `source` is the file.
    public typealias Render = @Sendable (_ diagnostic: Diagnostic, _ source: SourceFile) -> String

    /// `file:line:column: severity[code]: message` and its help line.
    public static let plain: Render = { d, _ in
        BuildPipeline.describe(d) + "\n" + ((d.help ?? d.fix?.message).map { "   = help: \($0)\n" } ?? "")
    }

    /// Paths that span several projects (each with its own manifest, as in
    /// `ivrc test examples/`) are tested project by project: each project's
    /// cases and coverage line, then one total.
    public static func run(paths: [String], currentDirectory: String = FileManager.default.currentDirectoryPath,
                           render: Render = plain) async -> (output: String, exitCode: Int32) {
        let parts = ProjectLoader.split(paths: paths, currentDirectory: currentDirectory)
        var out = ""
        var passed = 0, failed = 0, projectsRun = 0
        for part in parts {
            let result = await runProject(part, currentDirectory: currentDirectory, render: render)
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
    static func runProject(_ part: ProjectPaths, currentDirectory: String, render: Render) async
        -> Result<(output: String, passed: Int, failed: Int), BuildPipeline.Failure> {
        let built: BuildPipeline.Output
        switch BuildPipeline.build(paths: part.paths, currentDirectory: currentDirectory, excluding: part.excluding) {
        case .success(let b): built = b
        case .failure(let f): return .failure(f)
        }
        var out = ""
        var passed = 0, failed = 0
        var coverage = TestCoverage(flows: built.project.flows, bundle: built.bundle)
        for testFile in built.project.testFiles {
            let abs = BuildPipeline.absolute(testFile, cwd: currentDirectory)
            guard let data = FileManager.default.contents(atPath: abs) else {
                return .failure(.init(message: "error: cannot read \(testFile)", exitCode: 2))
            }
            let bytes = [UInt8](data)
            let source = SourceFile(path: testFile, bytes: bytes, lines: LineTable(bytes))
            var (parsed, diagnostics) = FlowTestParser.parse(bytes, file: testFile)
            if let parsed { diagnostics += FlowTestReferences.check(parsed, project: built.project, bundle: built.bundle) }
            for d in Diagnostic.sortedForOutput(diagnostics) { out += render(d, source) }
            guard let parsed, !diagnostics.contains(where: { $0.severity == .error }),
                  let flow = built.bundle.flowIndex(parsed.flow.value) else {
                let errors = diagnostics.count { $0.severity == .error }
                out += "FAIL \(testFile): malformed test file (\(errors) error\(errors == 1 ? "" : "s"))\n"
                failed += 1
                continue
            }
            for c in parsed.cases {
                let (record, dialled) = await runCase(c, bundle: built.bundle, flow: flow)
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
                out += warnings(c, record, dialled: dialled, file: testFile)
            }
        }
        out += coverage.summary + "\n"
        return .success((out, passed, failed))
    }

    /// What a passing case may still get wrong: a result that depends on
    /// the day the tests run (`open()` read with no `at`), and scripted
    /// transfer results that no transfer of the call used (a typo in the
    /// value, or a path that changed).
    /// Sensitive destinations are named `***`, and never guessed.
    static func warnings(_ c: FlowTestCase, _ record: CallReport, dialled: [TransferRequest], file: String) -> String {
        var out = ""
        func warn(_ range: SourceRange, _ message: String, help: String) {
            out += "\(file):\(range.start.line):\(range.start.column): warning: \(message)\n   = help: \(help)\n"
        }
        if record.readClock, c.at == nil {
            warn(c.range, "case '\(c.name)' reads open() with no 'at': it runs on the real clock, so its result depends on "
                 + "the date and time the tests run",
                 help: "give the case (or the whole file) a time: at: \"2026-11-23T10:00:00-05:00\"")
        }
        for scripted in c.transfers where !dialled.contains(where: { TransferScript.key(scripted.value.value, matches: $0) }) {
            let guess = closestMatch(to: scripted.value.value, in: dialled.filter { !$0.sensitive }.map(\.value))
            let made = dialled.isEmpty ? "the call made no transfer"
                : "the call dialled \(dialled.map { "\($0.kind) \($0.shownValue)" }.joined(separator: ", "))"
            warn(scripted.value.range, "case '\(c.name)' scripts a transfer to '\(scripted.value.value)', but no transfer "
                 + "went there", help: guess.map { "did you mean '\($0)'? (\(made))" } ?? made)
        }
        return out
    }

    /// The call, and the transfers it dialled.
    static func runCase(_ c: FlowTestCase, bundle: VerifiedBundle, flow: Int) async -> (CallReport, dialled: [TransferRequest]) {
        let start = c.at.flatMap { SimulateRunner.parseTime($0.value) } ?? Date()
        let backend = ScriptedBackend(tokens: c.input, at: start, webhooks: c.webhooks)
        backend.transfers = c.transferScript
        let report = await CallDriver.run(bundle, flow: flow, backend: backend, caller: c.caller ?? "+15555550100")
        return (report, backend.transferRequests)
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
