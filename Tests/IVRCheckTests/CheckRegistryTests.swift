import Foundation
import IVRSyntax
import Testing
@testable import IVRCheck

/// `CheckRegistry` is the one place a check is declared, with the codes it
/// raises: every code has a declarer, and on every fixture and example each
/// check (and the parser and the loader) raises only the codes it declares.
@Suite struct CheckRegistryTests {
    static let examples = FixtureTests.root.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

    /// Every fixture (file or project folder) and every example project.
    static func corpus() -> [String] {
        let examples = ((try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? [])
            .map { Self.examples.appendingPathComponent($0).path }
            .filter { var folder: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &folder) && folder.boolValue }
        return FixtureTests.fixtures().map { FixtureTests.root.appendingPathComponent($0).path } + examples.sorted()
    }

    @Test func corpusHasTheExamples() {
        #expect(Self.corpus().count >= FixtureTests.fixtures().count + 3)
    }

    @Test func everyCodeIsDeclaredByACheckTheParserOrTheLoader() {
        var declared = FlowParser.raises.union(ProjectLoader.raises)
        for check in CheckRegistry.checks { declared.formUnion(check.raises) }
        let undeclared = DiagnosticCode.allCases.filter { !declared.contains($0) }.map(\.rawValue)
        #expect(undeclared == [], "no check in CheckRegistry, nor FlowParser.raises or ProjectLoader.raises, declares these codes")
    }

    @Test func eachCheckIsRegisteredOnceAndDeclaresWhatItRaises() {
        let names = CheckRegistry.checks.map(\.name)
        #expect(Set(names).count == names.count, "\(names)")
        for check in CheckRegistry.checks {
            #expect(!check.raises.isEmpty, "\(check.name) declares no code")
        }
    }

    /// Each check's findings (and the parser's and the loader's diagnostics)
    /// carry only codes it declares; and every code a check declares, it
    /// raises somewhere in the corpus (so the declarations are not stale).
    @Test(.timeLimit(.minutes(5)))
    func checksRaiseOnlyTheCodesTheyDeclare() throws {
        var wrong: [String] = []
        var raised: [String: Set<DiagnosticCode>] = [:]
        for path in Self.corpus() {
            let project = try ProjectLoader.load(paths: [path]).get()
            let front = FlowParser.raises.union(ProjectLoader.raises)
            for d in project.diagnostics where !front.contains(d.code) {
                wrong.append("the parser or the loader raised \(d.code.rawValue) in \(path): \(d.message)")
            }
            for findings in CheckScheduler.standard.run(project) {
                let check = CheckRegistry.checks[findings.check.position]
                for d in findings.diagnostics {
                    raised[check.name, default: []].insert(d.code)
                    if !check.raises.contains(d.code) {
                        wrong.append("\(check.name) raised \(d.code.rawValue) in \(path): \(d.message)")
                    }
                }
            }
        }
        #expect(wrong == [], "codes raised but not declared (CheckRegistry, FlowParser.raises, ProjectLoader.raises)")
        for check in CheckRegistry.checks {
            let never = check.raises.subtracting(raised[check.name] ?? []).map(\.rawValue).sorted()
            #expect(never == [], "\(check.name) declares codes it raises on no fixture")
        }
    }

    /// The scheduler's findings are exactly those of running every check
    /// one after the other on one thread, in registry order: results are
    /// paired with their flow and check, whatever finished first.
    @Test(.timeLimit(.minutes(5)))
    func scheduledFindingsEqualAPlainRunInRegistryOrder() throws {
        for path in Self.corpus() {
            let project = try ProjectLoader.load(paths: [path]).get()
            let scheduled = CheckScheduler.standard.run(project).flatMap(\.diagnostics)
            #expect(scheduled == Self.plainRun(project), "\(path)")
        }
    }

    /// Several flows, each with findings of index and graph checks, and a
    /// flow read for context: every finding stays with its flow and check.
    @Test func findingsStayWithTheirFlow() throws {
        func flow(_ name: String, _ nodes: String) throws -> Flow {
            let text = "ivr: \(name)\nnodes:\n" + nodes
            return try #require(FlowParser.parseFlow(Array(text.utf8), file: "\(name).yaml").flow)
        }
        var project = Project()
        project.flows = [
            try flow("one", "  start:\n    - goto: nowhere\n  lost:\n    - hangup\n"),
            try flow("two", "  start:\n    - say: \"Hello.\"\n  spin-a:\n    - goto: spin-b\n  spin-b:\n    - goto: spin-a\n"),
            try flow("three", "  start:\n    - transfer: {ivr: four}\n  lost:\n    - say: \"Never.\"\n    - hangup\n"),
        ]
        project.contextFlows = [try flow("four", "  start:\n    - transfer: {ivr: three}\n")]
        let findings = CheckScheduler.standard.run(project)
        var codesByFile: [String: Set<String>] = [:]
        for f in findings {
            for d in f.diagnostics {
                codesByFile[d.file, default: []].insert(d.code.rawValue)
                if let flow = f.flow { #expect(d.file == project.flows[flow].file, "\(d.code.rawValue) \(d.message)") }
            }
        }
        #expect(codesByFile == ["one.yaml": ["E201"], "two.yaml": ["W304", "W207", "E301"], "three.yaml": ["W207", "E301"]])
        #expect(findings.flatMap(\.diagnostics) == Self.plainRun(project))
    }

    @Test func theScheduleRunsEachFlowCheckOnceWhereWhatItNeedsIsKnown() {
        let scheduler = CheckScheduler.standard
        let checks = CheckRegistry.checks
        let scheduled = scheduler.lightIndexChecks + scheduler.roundTwoGroups.flatMap(\.checks)
        #expect(scheduled.map(\.position).sorted() == scheduler.flowChecks.map(\.position))
        #expect(scheduler.projectChecks.count + scheduler.flowChecks.count + scheduler.crossFlowChecks.count == checks.count)
        for id in scheduler.lightIndexChecks {
            let check = checks[id.position]
            guard case .index(_, .light) = check.kind else {
                Issue.record("\(check.name) runs while the graph is built but is not a light index check")
                continue
            }
            #expect(!check.needs.contains(.callersFromOtherFlows), "\(check.name) runs before callers from other flows are known")
        }
        for group in scheduler.roundTwoGroups {
            let needsLoops = group.checks.contains { checks[$0.position].needs.contains(.spinningLoops) }
            #expect(group.findsSpinningLoops == needsLoops)
        }
        // The loops are found once per flow, in the first (longest) job.
        #expect(scheduler.roundTwoGroups.filter(\.findsSpinningLoops).count == 1)
        #expect(scheduler.roundTwoGroups.first?.findsSpinningLoops == true)
        // Each flow's graph and index go to different jobs, the graph first.
        #expect(scheduler.roundOneJobs(checkedFlows: 2, contextFlows: 1) == [
            .buildGraph(flow: 0), .indexAndLightChecks(flow: 0), .buildGraph(flow: 1), .indexAndLightChecks(flow: 1),
            .indexContextFlow(0),
        ])
        #expect(scheduler.roundTwoJobs(checkedFlows: 2).map(\.flow)
            == Array(repeating: 0, count: scheduler.roundTwoGroups.count) + Array(repeating: 1, count: scheduler.roundTwoGroups.count))
    }

    /// Every registered check, in registry order, one after the other.
    static func plainRun(_ project: Project) -> [Diagnostic] {
        var context = CheckContext(project: project)
        let analyses = project.flows.map { FlowAnalysis(FlowIndex($0), context) }
        var out: [Diagnostic] = []
        for check in CheckRegistry.checks {
            if case .project(let check) = check.kind { check.run(context, &out) }
        }
        context.enter(analyses.map(\.index) + project.contextFlows.map { FlowIndex($0) })
        let graphs = analyses.map { GraphAnalysis($0, FlowGraph($0.flow)).withSpinningLoops() }
        for (analysis, graph) in zip(analyses, graphs) {
            for check in CheckRegistry.checks {
                switch check.kind {
                case .index(let check, _): check.run(analysis, context, &out)
                case .graph(let check): check.run(graph, context, &out)
                case .project, .acrossFlows: break
                }
            }
        }
        for check in CheckRegistry.checks {
            if case .acrossFlows(let check) = check.kind { check.run(graphs, others: project.contextFlows, context, &out) }
        }
        return out
    }
}
