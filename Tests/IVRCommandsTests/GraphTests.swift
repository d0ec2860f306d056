import Foundation
import IVRTestSupport
import IVRCheck
import IVRSyntax
import Testing
@testable import IVRCommands

/// `ivrc graph`: the graph model, golden DOT and Mermaid output, the
/// command's exit codes, and Graphviz rendering every example cleanly.
@Suite struct GraphTests {
    static let demo = """
        ivr: demo
        extension: "100"
        nodes:
          main:
            menu:
              prompt: {say: "Press 1 for sales, 2 for billing."}
              options:
                "1": sales
                "2": {transfer: {ivr: billing}}
                "#": hangup
              on-timeout: {say: "Sorry."}
          sales:
            transfer: {group: sales}
          old:
            - say: "Nobody hears this."
            - hangup

        """

    static let billing = """
        ivr: billing
        nodes:
          desk:
            - say: "Billing."
            - transfer: {group: billing, on-fail: top}

        """

    /// `ivr:` transfers, one with an `on-fail` that is never taken.
    static let ivrTransfers = """
        ivr: t
        nodes:
          start:
            menu:
              prompt: {say: "For billing, press 1."}
              options:
                "1": {transfer: {ivr: billing}}
                "2": written
          written: {transfer: {ivr: billing, on-fail: sorry}}
          sorry: hangup

        """

    static func flow(_ text: String) throws -> Flow {
        try #require(FlowParser.parseFlow(Array(text.utf8), file: "f.yaml").flow)
    }

    static func graph(_ texts: String...) throws -> PhoneTree {
        PhoneTree(flows: try texts.map(flow))
    }

    // MARK: - The model

    @Test func edgesCarryKeysAndExceptionalPaths() throws {
        let g = try Self.graph(Self.demo)
        func edge(_ from: String, _ to: String, _ label: String) -> PhoneTree.Edge? {
            g.edges.first { $0.from == from && $0.to == to && $0.label == label }
        }
        #expect(edge("demo/main", "demo/sales", "1")?.dashed == false)
        #expect(edge("demo/main", "demo/(end)", "#")?.dashed == false)
        #expect(edge("demo/main", "demo/main", "timeout")?.dashed == true)
        #expect(edge("demo/main", "demo/(end)", "exhausted")?.dashed == true)
        #expect(edge("demo/sales", "demo/(end)", "on-fail")?.dashed == true)
        #expect(g.vertex("demo/main")?.kind == .menu)
        #expect(g.vertex("demo/sales")?.kind == .transfer)
        #expect(g.vertex("demo/old")?.kind == .hangup)
    }

    @Test func unreachableNodesAreMarked() throws {
        let g = try Self.graph(Self.demo)
        #expect(g.vertex("demo/old")?.reachable == false)
        #expect(g.vertex("demo/main")?.reachable == true)
        #expect(g.vertex("demo/sales")?.reachable == true)
        #expect(g.vertex("demo/(end)")?.reachable == true)
    }

    @Test func ivrTransfersConnectFlows() throws {
        let both = try Self.graph(Self.demo, Self.billing)
        #expect(both.edges.contains { $0.from == "demo/main#1" && $0.to == "billing/desk" && $0.label == "ivr" })
        #expect(both.clusters.map(\.flow) == ["demo", "billing"])
        #expect(both.edges.contains { $0.from == "billing/desk" && $0.to == "billing/desk" && $0.label == "on-fail (top)" })
        // Drawn alone, the other flow is an external vertex outside the cluster.
        let alone = try Self.graph(Self.demo)
        #expect(alone.vertex("billing/(entry)")?.kind == .external)
        #expect(alone.clusters[0].vertices.contains("billing/(entry)") == false)
    }

    /// An `ivr:` transfer goes on in the other flow and cannot fail: no
    /// `on-fail` edge, neither the default one nor one written.
    @Test func ivrTransfersHaveNoOnFailEdge() throws {
        let g = try Self.graph(Self.ivrTransfers)
        #expect(g.edges.contains { $0.from == "t/start#1" && $0.label == "ivr" })
        #expect(g.edges.contains { $0.from == "t/written" && $0.label == "ivr" })
        #expect(!g.edges.contains { $0.label?.hasPrefix("on-fail") == true }, "\(g.edges)")
        #expect(g.vertex("t/sorry")?.reachable == false)
    }

    @Test func implicitHangupsAndBranchLabels() throws {
        let g = try Self.graph("""
            ivr: b
            nodes:
              start:
                - branch:
                    - if: caller == "+15550000000"
                      then: vip
                    - else: {say: "Hello."}
                - say: "Goodbye."
              vip: {transfer: {group: vip, on-fail: start}}
              dup-a: {goto: missing-node}

            """)
        #expect(g.edges.contains { $0.from == "b/start" && $0.to == "b/vip" && $0.label == "if caller == \"+15550000000\"" })
        #expect(g.edges.contains { $0.from == "b/start" && $0.to == "b/(end)" && $0.implicit })
        #expect(g.edges.contains { $0.from == "b/start#1" && $0.to == "b/start" && $0.label == "continue" })
        #expect(g.vertex("b/missing-node")?.kind == .missing)
        #expect(g.vertex("b/start")?.kind == .branch)
    }

    @Test func sameKeyTargetsMergeIntoOneEdge() throws {
        let g = try Self.graph("""
            ivr: m
            nodes:
              menu:
                menu:
                  options: {"1": sales, "2": sales, star: repeat}
              sales: {transfer: {group: sales}}

            """)
        let toSales = g.edges.filter { $0.from == "m/menu" && $0.to == "m/sales" }
        #expect(toSales.count == 1)
        #expect(toSales.first?.label == "1, 2")
        #expect(g.edges.contains { $0.from == "m/menu" && $0.to == "m/menu" && $0.label == "* (repeat)" })
    }

    // MARK: - Golden output

    @Test func dotGolden() throws {
        #expect(try Self.graph(Self.demo).dot() == Self.expectedDOT)
    }

    @Test func mermaidGolden() throws {
        #expect(try Self.graph(Self.demo).mermaid() == Self.expectedMermaid)
    }

    // MARK: - The command

    @Test func commandExitCodes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("flows/demo.yaml", Self.demo)
        try folder.write("flows/billing.yaml", Self.billing)
        let all = GraphRunner(currentDirectory: folder.path).run(paths: ["flows"])
        #expect(all.exitCode == 1)  // billing's on-fail: top loops without a wait (E301)
        #expect(all.stderr.contains("flows/billing.yaml:5:43: error[E301]"))
        #expect(all.stdout.hasPrefix("digraph ivr {"))
        #expect(all.stdout.contains("\"demo/main#1\" -> \"billing/desk\""))

        let byExtension = GraphRunner(format: .mermaid, flow: "100", currentDirectory: folder.path).run(paths: ["flows"])
        #expect(byExtension.exitCode == 0)  // the errors of flows not drawn do not count
        #expect(byExtension.stderr.isEmpty)
        #expect(byExtension.stdout.hasPrefix("flowchart TD\n"))
        #expect(!byExtension.stdout.contains("Billing."))

        let unknown = GraphRunner(flow: "sales", currentDirectory: folder.path).run(paths: ["flows"])
        #expect(unknown.exitCode == 64)  // as `simulate --flow` and `call --flow`
        #expect(unknown.stderr.contains("the flows are: billing, demo"))

        let missing = GraphRunner(currentDirectory: folder.path).run(paths: ["nowhere"])
        #expect(missing.exitCode == 2)
    }

    /// Flows with errors are still drawn, but the errors are listed and the
    /// exit status is 1 (the input has errors), as for `ivrc check`.
    @Test func flowsWithErrorsAreDrawnAndFail() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("flows/broken.yaml", "ivr: broken\nnodes:\n  a: {goto: b}\n")
        let out = GraphRunner(currentDirectory: folder.path).run(paths: ["flows"])
        #expect(out.exitCode == 1)
        #expect(out.stdout.contains("\"broken/b\""))
        #expect(out.stderr.contains("flows/broken.yaml:3:"))
        #expect(out.stderr.contains("error[E201]"))

        try folder.write("bad/bad.yaml", "ivr: [x\n")
        let unreadable = GraphRunner(currentDirectory: folder.path).run(paths: ["bad"])
        #expect(unreadable.exitCode == 1)
        #expect(unreadable.stdout.isEmpty)
        #expect(unreadable.stderr.contains("error[E001]"), "\(unreadable.stderr)")
        #expect(unreadable.stderr.contains("no flow to draw"))

        try folder.write("warn/w.yaml", "ivr: w\nnodes:\n  a: hangup\n  b: hangup\n")
        let warnings = GraphRunner(currentDirectory: folder.path).run(paths: ["warn"])
        #expect(warnings.exitCode == 0)
        #expect(warnings.stderr.isEmpty)
    }

    /// Names, say text and expressions with quotes, angle brackets, braces,
    /// pipes, ampersands and newlines stay inside their labels.
    @Test func specialCharactersAreEscaped() throws {
        let flow = #"""
            ivr: odd
            nodes:
              "start <1> {x}":
                - say: "Say \"hi\" <b>\n{x} | y & z"
                - goto: check
              check:
                - branch:
                    - if: caller != "<x>|{y}"
                      then: "end \"q\""
                    - else: "end \"q\""
              "end \"q\"": hangup

            """#
        let tree = try Self.graph(flow)
        let dot = tree.dot()
        #expect(dot.contains(#""odd/start <1> {x}" [label=<<b>start &lt;1&gt; {x}</b>"#), "\(dot)")
        #expect(dot.contains("say “Say &quot;hi&quot; &lt;b&gt; {x} | y &amp; z”"), "\(dot)")
        #expect(dot.contains(#""odd/check" -> "odd/end \"q\"" [label=" if caller != \"<x>|{y}\", else "]"#), "\(dot)")
        #expect(!dot.contains("<b>\n"))
        let mermaid = tree.mermaid()
        #expect(mermaid.contains("say “Say #quot;hi#quot; #lt;b#gt; {x} #124; y #amp; z”"), "\(mermaid)")
        #expect(mermaid.contains(#"-->|"if caller != #quot;#lt;x#gt;#124;{y}#quot;, else"|"#), "\(mermaid)")
        for line in mermaid.split(separator: "\n") where line.contains("\"") {
            // Inside a label only the delimiting quotes are raw.
            #expect(line.filter { $0 == "\"" }.count == 2, "\(line)")
        }
    }

    @Test func commandIsRegistered() {
        #expect(IVRC.configuration.subcommands.contains { $0 == Graph.self })
    }

    // MARK: - Graphviz

    @Test(.enabled(if: TestTools.onPath("dot"), TestTools.missing("dot", package: "graphviz")),
          .timeLimit(.minutes(10)))
    func graphvizRendersEveryExampleWithoutWarnings() async throws {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let run = try await runProcess("/bin/bash", [root.appendingPathComponent("scripts/graph-test.sh").path,
                                                     try BinaryTests.binary().path],
                                       in: root.path, mergingErrors: true)
        let text = run.stdout
        #expect(run.status == 0, "\(text)")
        #expect(text.contains(" 0 failure(s)"), "\(text)")
    }
}

extension GraphTests {
    static let expectedDOT = #"""
        digraph ivr {
          graph [rankdir=TB, fontname="Helvetica", fontsize=12, nodesep=0.35, ranksep=0.45, newrank=true];
          node [fontname="Helvetica", fontsize=11, style=filled, fillcolor="#ffffff", color="#374151", margin="0.12,0.06"];
          edge [fontname="Helvetica", fontsize=10, color="#374151", arrowsize=0.7];
          subgraph cluster_0 {
            label="demo (extension 100)"; style="rounded,dashed"; color="#9ca3af"; fontcolor="#374151";
            "demo/(entry)" [label=<<b>call 100</b>>, shape=box, style="rounded,filled", fillcolor="#111827", color="#111827", fontcolor="#ffffff"];
            "demo/main" [label=<<b>main</b><br/><font point-size="9">menu [1 2 #]</font>>, shape=box, style="rounded,filled", fillcolor="#dbeafe", color="#1d4ed8", fontcolor="#111827"];
            "demo/sales" [label=<<b>sales</b><br/><font point-size="9">group sales</font>>, shape=cds, style="filled", fillcolor="#dcfce7", color="#15803d", fontcolor="#111827"];
            "demo/old" [label=<<b>old</b><br/><font point-size="9">hang up</font>>, shape=octagon, style="filled,dashed", fillcolor="#f3f4f6", color="#9ca3af", fontcolor="#9ca3af"];
            "demo/main#1" [label=<<font point-size="9">ivr billing</font>>, shape=cds, style="filled", fillcolor="#dcfce7", color="#15803d", fontcolor="#111827"];
            "demo/(end)" [label=<<b>call ends</b>>, shape=doubleoctagon, style="filled", fillcolor="#fecaca", color="#991b1b", fontcolor="#111827"];
          }
          "billing/(entry)" [label=<<b>billing</b><br/><font point-size="9">another flow</font>>, shape=box3d, style="filled,dashed", fillcolor="#f9fafb", color="#374151", fontcolor="#111827"];
          "demo/(entry)" -> "demo/main";
          "demo/main" -> "demo/sales" [label=" 1 "];
          "demo/main" -> "demo/main#1" [label=" 2 "];
          "demo/main#1" -> "billing/(entry)" [label=" ivr "];
          "demo/main" -> "demo/(end)" [label=" # "];
          "demo/main" -> "demo/main" [label=" timeout ", style=dashed, color="#b45309", fontcolor="#b45309", tailport=w, headport=w];
          "demo/main" -> "demo/(end)" [label=" exhausted ", style=dashed, color="#b45309", fontcolor="#b45309"];
          "demo/sales" -> "demo/(end)" [label=" on-fail ", style=dashed, color="#b45309", fontcolor="#b45309"];
        }

        """#

    static let expectedMermaid = #"""
        flowchart TD
          subgraph f0["demo (extension 100)"]
            v0(("call 100"))
            v1{{"main<br/>menu [1 2 #35;]"}}
            v2>"sales<br/>group sales"]
            v3(["old<br/>hang up"])
            v4>"ivr billing"]
            v6((("call ends")))
          end
          v5[\"billing<br/>another flow"\]
          v0 --> v1
          v1 -->|"1"| v2
          v1 -->|"2"| v4
          v4 -->|"ivr"| v5
          v1 -->|"#35;"| v6
          v1 -.->|"timeout"| v1
          v1 -.->|"exhausted"| v6
          v2 -.->|"on-fail"| v6
          classDef ivr_end fill:#fecaca,stroke:#991b1b,color:#111827
          class v6 ivr_end
          classDef ivr_entry fill:#111827,stroke:#111827,color:#ffffff
          class v0 ivr_entry
          classDef ivr_external fill:#f9fafb,stroke:#374151,color:#111827
          class v5 ivr_external
          classDef ivr_menu fill:#dbeafe,stroke:#1d4ed8,color:#111827
          class v1 ivr_menu
          classDef ivr_transfer fill:#dcfce7,stroke:#15803d,color:#111827
          class v2,v4 ivr_transfer
          classDef ivr_unreachable fill:#f3f4f6,stroke:#9ca3af,color:#9ca3af,stroke-dasharray:4 3
          class v3 ivr_unreachable

        """#
}
