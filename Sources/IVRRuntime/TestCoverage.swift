import IVRBytecode
import IVRCheck
import IVRSyntax

/// What the cases of `ivrc test` exercised, per flow: the nodes visited,
/// the menu options chosen, and the `on-fail` paths taken (a transfer with
/// an `on-fail` of its own that did not connect: scripted with a case's
/// `transfers:`, or refused by its `allow` pattern). Transfers without
/// `on-fail` (it is a hang-up) and `ivr:` transfers (they never fail) are
/// not counted.
struct TestCoverage {
    private var nodes: [(flow: String, node: String)] = []
    private var options: [(flow: String, node: String, key: Character)] = []
    private var onFails: [(flow: String, node: String, line: Int, column: Int)] = []
    private var seenNodes: Set<Node> = []
    private var seenOptions: Set<Option> = []
    private var seenOnFails: Set<String> = []
    /// Maps a failed transfer's instruction to its source position.
    private let bundle: VerifiedBundle

    init(flows: [Flow], bundle: VerifiedBundle) {
        self.bundle = bundle
        for flow in flows.sorted(by: { $0.name.value < $1.name.value }) {
            for node in flow.nodes {
                nodes.append((flow.name.value, node.name.value))
                for step in node.steps {
                    guard case .menu(let menu) = step.kind else { continue }
                    for o in menu.options { options.append((flow.name.value, node.name.value, o.key.value.character)) }
                }
            }
            for entry in FlowIndex(flow).entries(.transfer) {
                guard case .transfer(let t) = entry.step.kind, t.onFail != nil, t.destination.kind != .ivr else { continue }
                let at = entry.step.keyRange.start
                onFails.append((flow.name.value, flow.nodes[entry.node].name.value, at.line, at.column))
            }
        }
    }

    /// A node of a flow, as the sets of what was exercised hold it.
    private struct Node: Hashable {
        var flow: String
        var node: String
    }

    /// A menu option: its node and the key chosen.
    private struct Option: Hashable {
        var node: Node
        var key: String
    }

    mutating func add(_ r: CallReport) {
        for p in r.path { seenNodes.insert(Node(flow: p.flow, node: p.node)) }
        for e in r.events {
            if case .input(let digits, .menu) = e.kind, digits.count == 1 {
                seenOptions.insert(Option(node: Node(flow: e.flow, node: e.node), key: digits))
            }
        }
        for failed in r.failedTransfers {
            // The compiler gives each transfer instruction its step's position.
            guard let flow = bundle.flowIndex(failed.flow),
                  let at = bundle.flows[flow].debug?.entries.last(where: { $0.offset <= failed.offset }) else { continue }
            seenOnFails.insert("\(failed.flow)@\(at.line):\(at.column)")
        }
    }

    /// `coverage: nodes 4/4, menu options 2/2, on-fail paths 1/2; not covered: acme-main/sales on-fail (line 14)`;
    /// the on-fail count only when the project has such transfers.
    var summary: String {
        let uncoveredNodes = nodes.filter { !seenNodes.contains(Node(flow: $0.flow, node: $0.node)) }
        let uncoveredOptions = options.filter { !seenOptions.contains(Option(node: Node(flow: $0.flow, node: $0.node), key: String($0.key))) }
        let uncoveredOnFails = onFails.filter { !seenOnFails.contains("\($0.flow)@\($0.line):\($0.column)") }
        var line = "coverage: nodes \(nodes.count - uncoveredNodes.count)/\(nodes.count), "
        line += "menu options \(options.count - uncoveredOptions.count)/\(options.count)"
        if !onFails.isEmpty { line += ", on-fail paths \(onFails.count - uncoveredOnFails.count)/\(onFails.count)" }
        let missing = uncoveredNodes.map { "\($0.flow)/\($0.node)" } + uncoveredOptions.map { "\($0.flow)/\($0.node) '\($0.key)'" }
            + uncoveredOnFails.map { "\($0.flow)/\($0.node) on-fail (line \($0.line))" }
        if !missing.isEmpty { line += "; not covered: " + missing.joined(separator: ", ") }
        return line
    }
}
