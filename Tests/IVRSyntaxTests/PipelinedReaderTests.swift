import Testing
@testable import IVRSyntax

/// The reader gives the same tree and diagnostics whether libyaml runs on a
/// thread of its own (`YAMLEventPipe`) or on the calling one, and the flow
/// parser builds the same flow whether nodes are built while the file is read
/// or afterwards. Large inputs span many event blocks and block boundaries.
@Suite struct PipelinedReaderTests {
    /// A flow of `menus` menus (each with an account capture), about 800 bytes and 80 events per menu.
    static func flow(menus: Int, inject: String = "", at position: Int = -1) -> String {
        var out = "ivr: big\nextension: \"900\"\ndefaults: {timeout: 5s, attempts: 3}\nnodes:\n"
        for i in 0..<menus {
            if i == position { out += inject }
            let one = 2 * i + 1 < menus ? "menu-\(2 * i + 1)" : "done"
            out += """
                  menu-\(i):
                    menu:
                      prompt:
                        - say: "Menu \(i). For billing press 1. For the operator press 0. To hear this again press star."
                      short-prompt: {say: "Press 1, star or 0."}
                      options:
                        "1": \(one)
                        "3": account-\(i)
                        "0": {transfer: {extension: "1\(i % 10)00"}}
                        star: repeat
                      on-invalid: {say: "Sorry, that is not an option."}
                      on-exhausted: done
                  account-\(i):
                    - capture: {prompt: {say: "Enter your account number."}, into: account, min: 6, max: 10}
                    - transfer: {group: billing}

                """
        }
        return out + "  done:\n    - say: \"Goodbye.\"\n    - hangup\n"
    }

    static let inputs: [(name: String, text: String)] = [
        ("small", "a: 1\nb: [x, {y: z}]\n"),
        ("plain", flow(menus: 120)),
        ("duplicate node late", flow(menus: 120) + "  menu-7:\n    - hangup\n"),
        ("anchors across blocks",
         "ivr: big\nnodes:\n  shared: &sh\n    - say: \"Shared.\"\n    - hangup\n"
            + flow(menus: 100).dropFirst("ivr: big\nextension: \"900\"\ndefaults: {timeout: 5s, attempts: 3}\nnodes:\n".count)
            + "  uses-shared: *sh\n  merged:\n    <<: {menu: {prompt: {say: hi}, options: {\"1\": done}}}\n"),
        ("nodes merged in", "base: &extra\n  extra-node:\n    - hangup\n"
            + flow(menus: 60).replacingOccurrences(of: "nodes:\n", with: "nodes:\n  <<: *extra\n")),
        ("nodes twice", flow(menus: 60) + "nodes:\n  other:\n    - hangup\n"),
        ("syntax error at the end", flow(menus: 100) + "  broken: \"unclosed\n"),
        ("tag in the middle", flow(menus: 100, inject: "  tagged: !custom\n    - hangup\n", at: 80)),
        ("second document", flow(menus: 100) + "---\nivr: second\n"),
        ("unknown alias", flow(menus: 100, inject: "  bad: *nope\n", at: 90)),
        ("deep nesting", flow(menus: 60) + "deep: " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "\n"),
        ("non-ASCII", flow(menus: 80, inject: "  café:\n    - say: \"Déjà vu — press 1.\"\n    - hangup\n  cafe\u{301}:\n    - hangup\n", at: 40)),
        ("CRLF", flow(menus: 50).replacingOccurrences(of: "\n", with: "\r\n")),
        ("large mapping with a repeat", "ivr: k\nnodes:\n  main:\n    menu:\n"
            + (0..<40).map { "      k\($0): \($0)\n" }.joined() + "      k7: again\n      K7: case\n"),
        ("empty", ""),
    ]

    @Test(arguments: inputs.map(\.name))
    func readerGivesTheSameTreeOnEitherThread(_ name: String) throws {
        let text = try #require(Self.inputs.first { $0.name == name }).text
        let one = YAMLReader.read(Array(text.utf8), file: "f.yaml", pipelined: false)
        let two = YAMLReader.read(Array(text.utf8), file: "f.yaml", pipelined: true)
        #expect(Self.describe(one.diagnostics) == Self.describe(two.diagnostics))
        #expect(one.root.map(Self.describe) == two.root.map(Self.describe))
        #expect(one.lines.starts == two.lines.starts)
    }

    @Test(arguments: inputs.map(\.name))
    func parserBuildsTheSameFlowEveryWay(_ name: String) throws {
        let bytes = Array(try #require(Self.inputs.first { $0.name == name }).text.utf8)
        let reference = FlowParser.parseFlow(bytes, file: "f.yaml", pipelined: false, streaming: false)
        for pipelined in [false, true] {
            for streaming in [false, true] {
                let parsed = FlowParser.parseFlow(bytes, file: "f.yaml", pipelined: pipelined, streaming: streaming)
                #expect(Self.describe(parsed.diagnostics) == Self.describe(reference.diagnostics),
                        "pipelined \(pipelined), streaming \(streaming)")
                #expect(parsed.flow.map(Self.describe) == reference.flow.map(Self.describe),
                        "pipelined \(pipelined), streaming \(streaming)")
            }
        }
    }

    @Test func mergedNodesFollowTheStreamedOnes() {
        // The first pairs of `nodes` were built while reading; merged pairs come after.
        let bytes = Array(Self.inputs.first { $0.name == "nodes merged in" }!.text.utf8)
        let parsed = FlowParser.parseFlow(bytes, file: "f.yaml", pipelined: true)
        #expect(parsed.flow?.nodes.first?.name.value == "menu-0")
        #expect(parsed.flow?.nodes.last?.name.value == "extra-node")
        #expect(parsed.flow?.nodes.count == 2 * 60 + 2)
    }

    @Test func manyPipelinedReadsAtOnceAllFinish() async {
        let bytes = Array(Self.flow(menus: 80).utf8)
        let expected = FlowParser.parseFlow(bytes, file: "f.yaml", pipelined: false).flow?.nodes.count
        let counts = await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<12 {
                group.addTask { FlowParser.parseFlow(bytes, file: "f.yaml", pipelined: true).flow?.nodes.count }
            }
            var all: [Int?] = []
            for await count in group { all.append(count) }
            return all
        }
        #expect(counts == Array(repeating: expected, count: 12))
    }

    @Test func aReaderThatStopsEarlyStopsTheProducer() {
        // Refused in the first block: the rest of a large file is never parsed.
        let bytes = Array(("x: !bad 1\n" + Self.flow(menus: 400)).utf8)
        let doc = YAMLReader.read(bytes, file: "f.yaml", pipelined: true)
        #expect(doc.root == nil)
        #expect(doc.diagnostics.map(\.code) == [.E007])
    }

    static func describe(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { d in
            "\(d.code) \(d.range) \(d.range.start.offset) \(d.range.end.offset) \(d.message) \(d.help ?? "")"
                + d.notes.map { " [\($0.message) \($0.range.map(\.description) ?? "")]" }.joined()
        }
    }

    static func describe(_ node: YAMLNode) -> String {
        var out = ""
        var stack = [(node, 0)]
        while let (n, depth) = stack.popLast() {
            out += String(repeating: " ", count: depth) + "\(n.shape) \(n.style) \(n.range) \(n.range.start.offset)"
            out += " \(n.scalar.map { $0.debugDescription } ?? "")\n"
            if let pairs = n.lazyPairs {
                for pair in pairs.reversed() { stack.append((pair.value, depth + 2)); stack.append((pair.key, depth + 1)) }
            } else if let items = n.lazyItems {
                for item in items.reversed() { stack.append((item, depth + 1)) }
            }
        }
        return out
    }

    /// Every stored value of the flow, recursively; interpolated strings by their public parts.
    static func describe(_ value: Any) -> String {
        if let s = value as? InterpolatedString { return "IS(\(s.raw.debugDescription), \(s.parts), \(String(describing: s.error)))" }
        let mirror = Mirror(reflecting: value)
        if mirror.children.isEmpty { return String(reflecting: value) }
        return "\(mirror.subjectType)(" + mirror.children.map { "\($0.label ?? "_"): \(describe($0.value))" }
            .joined(separator: ", ") + ")"
    }
}
