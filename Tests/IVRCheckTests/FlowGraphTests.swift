@testable import IVRCheck
import IVRSyntax
import Testing

@Suite struct FlowGraphTests {
    func graph(_ yaml: String) throws -> FlowGraph {
        let parsed = FlowParser.parseFlow(Array(yaml.utf8), file: "flow.yaml")
        let flow = try #require(parsed.flow)
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics.map(\.message))")
        return FlowGraph(flow)
    }

    func entry(_ g: FlowGraph, _ name: String) throws -> Int {
        let i = try #require(g.flow.nodes.firstIndex { $0.name.value == name })
        return g.nodeEntries[i]
    }

    /// The first step vertex of a node.
    func firstStep(_ g: FlowGraph, _ name: String) throws -> Int {
        try #require(g.edges[try entry(g, name)].first).target
    }

    func targets(_ g: FlowGraph, _ v: Int, _ kind: FlowGraph.EdgeKind) -> [Int] {
        g.edges[v].filter { $0.kind == kind }.map(\.target)
    }

    static let twoMenus = """
        ivr: t
        nodes:
          main:
            menu:
              prompt: {say: "Press 1 for sales or 2 for the help menu."}
              options:
                "1": sales
                "2": help
                "9": repeat
              on-invalid: {say: "Sorry."}
              on-exhausted: bye
          help:
            menu:
              prompt: {say: "Press 1 for sales, star to go back, 0 for the start."}
              options:
                "1": sales
                star: back
                "0": top
              on-invalid: {say: "Sorry."}
          sales:
            - goto: back
          bye:
            - branch:
                - if: caller == "1"
                  then: {say: "Hi."}
            - hangup
        """

    @Test func menuEdgesAreLabelled() throws {
        let g = try graph(Self.twoMenus)
        let main = try firstStep(g, "main")
        #expect(targets(g, main, .key(.d1)) == [try entry(g, "sales")])
        #expect(targets(g, main, .key(.d2)) == [try entry(g, "help")])
        #expect(targets(g, main, .key(.d9)) == [main], "repeat restarts the menu")
        // No on-timeout: silence goes straight to the retry point.
        let retry = try #require(targets(g, main, .timeout).first)
        guard case .retry(let owner) = g.vertices[retry].kind else { Issue.record("not a retry vertex"); return }
        #expect(owner == main)
        #expect(targets(g, retry, .again) == [main])
        #expect(targets(g, retry, .exhausted) == [try entry(g, "bye")])
        // The inline on-invalid returns to the retry point when it ends.
        let invalid = try #require(targets(g, main, .invalid).first)
        let say = try #require(g.edges[invalid].first).target
        #expect(targets(g, say, .next) == [retry])
        #expect(FlowGraph.EdgeKind.key(.d1).waits && FlowGraph.EdgeKind.timeout.waits)
        #expect(!FlowGraph.EdgeKind.jump.waits && FlowGraph.EdgeKind.arm(0).isConditional)
    }

    @Test func branchArmsContinueWithTheNextStep() throws {
        let g = try graph(Self.twoMenus)
        let branch = try firstStep(g, "bye")
        let hangup = try #require(targets(g, branch, .noArm).first)
        #expect(g.step(hangup)?.keyword == "hangup")
        let arm = try #require(targets(g, branch, .arm(0)).first)
        let say = try #require(g.edges[arm].first).target
        #expect(targets(g, say, .next) == [hangup])
        #expect(targets(g, hangup, .hangup) == [FlowGraph.end])
    }

    @Test func backAndTopResolve() throws {
        let g = try graph(Self.twoMenus)
        let main = try firstStep(g, "main")
        let help = try firstStep(g, "help")
        // star: back in help returns to the menu under it, main.
        #expect(targets(g, help, .key(.star)) == [main])
        #expect(targets(g, help, .key(.d0)) == [try entry(g, "main")])
        // goto: back outside any menu returns to the last menu visited: main or help.
        let gotoBack = try firstStep(g, "sales")
        #expect(Set(targets(g, gotoBack, .jump)) == [main, help])
        #expect(g.dynamicTargets.count == 2)
        #expect(g.dynamicTargets.allSatisfy { !$0.menus.isEmpty })
    }

    @Test func backFollowsTheMenuStack() throws {
        let g = try graph("""
            ivr: t
            nodes:
              a:
                menu:
                  prompt: {say: "Press 1."}
                  options: {"1": b, "9": back}
              b:
                menu:
                  prompt: {say: "Press 1 or 9."}
                  options: {"1": c, "9": back}
              c:
                menu:
                  prompt: {say: "Press 9."}
                  options: {"9": back}
            """)
        let a = try firstStep(g, "a"), b = try firstStep(g, "b"), c = try firstStep(g, "c")
        #expect(targets(g, c, .key(.d9)) == [b])
        #expect(targets(g, b, .key(.d9)) == [a])
        let fromStart = try #require(g.dynamicTargets.first { $0.from == a })
        #expect(fromStart.menus.isEmpty, "nothing is under the start menu")
    }

    @Test func flowEdgesAndReachability() throws {
        let g = try graph("""
            ivr: t
            nodes:
              start: {transfer: {ivr: billing, on-fail: {goto: spare}}}
              spare: {hangup: {}}
              orphan: {hangup: {}}
            """)
        #expect(g.flowEdges.map(\.flow) == ["billing"])
        #expect(g.reachable.contains(try entry(g, "spare")))
        #expect(!g.reachable.contains(try entry(g, "orphan")))
    }

    func check(_ yaml: String) -> [Diagnostic] {
        var project = Project()
        let parsed = FlowParser.parseFlow(Array(yaml.utf8), file: "flow.yaml")
        if let flow = parsed.flow { project.flows = [flow] }
        project.diagnostics = parsed.diagnostics
        return Checker.check(project)
    }

    @Test func loopNotesShowThePath() throws {
        let spinning = check("""
            ivr: t
            nodes:
              main: {goto: hold}
              hold: [{say: "Please hold."}, {goto: main}]
            """)
        let e301 = try #require(spinning.first { $0.code == .E301 })
        #expect(e301.notes.first?.message.contains("main -> hold -> main") == true)
        #expect(e301.range.start.line == 4, "the loop closes at 'goto: main'")
        #expect(!spinning.contains { $0.code == .E302 }, "one root cause, one diagnostic")

        let silent = check("""
            ivr: t
            nodes:
              main:
                menu:
                  prompt: {say: "Press 1 for sales."}
                  options: {"1": {transfer: {group: sales}}}
                  on-invalid: {say: "Sorry."}
                  on-exhausted: hold
              hold: [{say: "Still there?"}, {goto: main}]
            """)
        let e303 = try #require(silent.first { $0.code == .E303 })
        #expect(e303.notes.first?.message.contains("main -> hold -> main") == true)
        #expect(e303.range.start.line == 9)
        #expect(silent.count == 1, "\(silent.map(\.message))")
    }

    @Test func largeFlowsDoNotExhaustTheStack() throws {
        var yaml = "ivr: big\nnodes:\n"
        let count = 20_000
        for i in 0..<count { yaml += "  n\(i): {goto: n\(i + 1)}\n" }
        yaml += "  n\(count): {goto: n0}\n"
        let diagnostics = check(yaml)
        #expect(diagnostics.filter { $0.code == .E301 }.count == 1)
        #expect(diagnostics.allSatisfy { $0.code == .E301 }, "\(Set(diagnostics.map(\.code.rawValue)))")
    }

    @Test func stronglyConnectedComponents() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3, 3 -> 3, 4 alone.
        let edges = [[1], [2], [0, 3], [3], []]
        let scc = StronglyConnected(vertexCount: 5) { edges[$0] }
        #expect(scc.count == 3)
        #expect(scc.component[0] == scc.component[1] && scc.component[1] == scc.component[2])
        #expect(scc.component[3] < scc.component[0], "successors complete first")
        #expect(scc.isCyclic[scc.component[0]] && scc.isCyclic[scc.component[3]] && !scc.isCyclic[scc.component[4]])
    }

    @Test func keyMentions() {
        let m = KeyMentions("Press 1, 2 or 3. Zero for the operator. Press the pound key. We are open 9 to 5, dial a 4-digit code.")
        #expect(m.advertised.map { String($0.character) } == ["1", "2", "3", "0", "#"])
        #expect(m.mentioned.contains(.d9) && !m.mentioned.contains(.d4))
    }
}
