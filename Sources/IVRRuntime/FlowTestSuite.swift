import Foundation
import IVRBytecode
import IVRCheck
import IVRSyntax

/// The flow tests of one project: builds it, reads every `*.test.yaml`,
/// runs every case against the scripted caller, and returns what happened
/// (`ivrc test` prints it; see IVRCommands' `FlowTestRunner`).
public enum FlowTestSuite {
    /// One project's test files in order, and its coverage line.
    public struct Result: Sendable {
        public var files: [FileResult]
        /// `coverage: ...` (nodes, menu options and on-fail paths exercised).
        public var coverage: String
    }

    /// One test file: its problems, and its cases unless it is malformed.
    public struct FileResult: Sendable {
        /// As the project names it (relative to the working folder).
        public var file: String
        public var source: SourceFile
        /// Problems in the test file, in output order.
        public var diagnostics: [Diagnostic]
        /// nil: the file has errors (or names no flow of the bundle), so no case ran.
        public var cases: [CaseResult]?
    }

    /// One case: the call, each unmet expectation, and what a passing case
    /// may still get wrong.
    public struct CaseResult: Sendable {
        public var name: String
        public var record: CallReport
        /// `outcome: expected X, got Y`, one per unmet expectation.
        public var problems: [String]
        public var warnings: [Warning]
        public var passed: Bool { problems.isEmpty }
    }

    /// A doubt about a case (not a failure).
    public struct Warning: Sendable {
        public var range: SourceRange
        public var message: String
        public var help: String
    }

    /// Why no case of the project ran.
    public enum Failure: Error, Sendable {
        case build(FlowBuildError)
        /// A test file the project lists cannot be read.
        case unreadable(file: String)
    }

    /// Runs the tests of one project (`ProjectLoader.split` gives the parts).
    public static func run(_ part: ProjectPaths, currentDirectory: String) async -> Swift.Result<Result, Failure> {
        let built: FlowBuild
        switch FlowBuild.build(paths: part.paths, currentDirectory: currentDirectory, excluding: part.excluding) {
        case .success(let b): built = b
        case .failure(let f): return .failure(.build(f))
        }
        var files: [FileResult] = []
        var coverage = TestCoverage(flows: built.project.flows, bundle: built.bundle)
        for testFile in built.project.testFiles {
            let abs = FilePaths.absolute(testFile, cwd: currentDirectory)
            guard let data = FileManager.default.contents(atPath: abs) else { return .failure(.unreadable(file: testFile)) }
            let bytes = [UInt8](data)
            let source = SourceFile(path: testFile, bytes: bytes, lines: LineTable(bytes))
            var (parsed, diagnostics) = FlowTestParser.parse(bytes, file: testFile)
            if let parsed { diagnostics += FlowTestReferences.check(parsed, project: built.project, bundle: built.bundle) }
            var result = FileResult(file: testFile, source: source, diagnostics: Diagnostic.sortedForOutput(diagnostics))
            if let parsed, !diagnostics.contains(where: { $0.severity == .error }),
               let flow = built.bundle.flowIndex(parsed.flow.value) {
                var cases: [CaseResult] = []
                for c in parsed.cases {
                    let (record, dialled) = runCase(c, bundle: built.bundle, flow: flow)
                    coverage.add(record)
                    cases.append(CaseResult(name: c.name, record: record, problems: check(c.expect, record),
                                            warnings: warnings(c, record, dialled: dialled)))
                }
                result.cases = cases
            }
            files.append(result)
        }
        return .success(Result(files: files, coverage: coverage.summary))
    }

    /// What a passing case may still get wrong: a result that depends on
    /// the day the tests run (`open()` read with no `at`), and scripted
    /// transfer results that no transfer of the call used (a typo in the
    /// value, or a path that changed).
    /// Sensitive destinations are named `***`, and never guessed.
    static func warnings(_ c: FlowTestCase, _ record: CallReport, dialled: [TransferRequest]) -> [Warning] {
        var out: [Warning] = []
        if record.readClock, c.at == nil {
            out.append(Warning(range: c.range,
                               message: "case '\(c.name)' reads open() with no 'at': it runs on the real clock, so its result "
                                   + "depends on the date and time the tests run",
                               help: "give the case (or the whole file) a time: at: \"2026-11-23T10:00:00-05:00\""))
        }
        for scripted in c.transfers where !dialled.contains(where: { TransferScript.key(scripted.value.value, matches: $0) }) {
            let guess = closestMatch(to: scripted.value.value, in: dialled.filter { !$0.sensitive }.map(\.value))
            let made = dialled.isEmpty ? "the call made no transfer"
                : "the call dialled \(dialled.map { "\($0.kind) \($0.shownValue)" }.joined(separator: ", "))"
            out.append(Warning(range: scripted.value.range,
                               message: "case '\(c.name)' scripts a transfer to '\(scripted.value.value)', but no transfer "
                                   + "went there",
                               help: guess.map { "did you mean '\($0)'? (\(made))" } ?? made))
        }
        return out
    }

    /// The call, and the transfers it dialled.
    static func runCase(_ c: FlowTestCase, bundle: VerifiedBundle, flow: Int) -> (CallReport, dialled: [TransferRequest]) {
        let start = c.at.flatMap { CallTime.parse($0.value) } ?? Date()
        let backend = ScriptedBackend(tokens: c.input, at: start, webhooks: c.webhooks)
        backend.transfers = c.transferScript
        backend.calleeTokens = c.calleeInput
        let report = ScriptedCallDriver.run(bundle, flow: flow, backend: backend, caller: c.caller ?? "+15555550100")
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
        if let via = e.via {
            let got = r.via?.rawValue ?? "no transfer"
            if got != via.rawValue { problems.append("via: expected \(via.rawValue), got \(got)") }
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

extension FlowTestSuite {
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
