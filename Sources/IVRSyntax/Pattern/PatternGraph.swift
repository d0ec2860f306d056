/// The NFA of a pattern as a plain graph for the automaton queries
/// (`canBeginMatch`, `maxMatchLength`, `canMatch(lengths:)`), restricted to a
/// keypad alphabet.
///
/// Anchors depend on the position, so a node is an instruction plus two
/// flags: `atStart` (nothing consumed yet, so `^` may pass) and `ended` (a `$`
/// was passed, so nothing more may be consumed). Edges consuming a scalar
/// weigh 1, the others 0. Every query is then reachability or a longest path,
/// linear in the program size.
struct PatternGraph {
    typealias Edge = (target: Int, weight: Int)

    private let code: [PatternProgram.Instruction]
    /// Whether class `i` holds at least one scalar of the alphabet.
    private let allowed: [Bool]

    init(_ program: PatternProgram, alphabet: Set<Character>) {
        code = program.code
        let scalars = alphabet.compactMap { $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first : nil }
        allowed = program.classes.map { set in scalars.contains { set.contains($0.value) } }
    }

    var nodeCount: Int { code.count * 4 }

    static func node(_ pc: Int, atStart: Bool, ended: Bool) -> Int {
        pc << 2 | (atStart ? 2 : 0) | (ended ? 1 : 0)
    }

    static let start = node(0, atStart: true, ended: false)

    func isAccepting(_ node: Int) -> Bool { code[node >> 2].op == .match }

    /// At most two edges leave a node.
    func edges(of node: Int) -> [Edge] {
        let pc = node >> 2
        let atStart = node & 2 != 0
        let ended = node & 1 != 0
        let instruction = code[pc]
        func to(_ target: Int32, _ startFlag: Bool = atStart, _ endFlag: Bool = ended) -> Int {
            Self.node(Int(target), atStart: startFlag, ended: endFlag)
        }
        switch instruction.op {
        case .char:
            return !ended && allowed[Int(instruction.a)] ? [(to(Int32(pc + 1), false, false), 1)] : []
        case .split: return [(to(instruction.a), 0), (to(instruction.b), 0)]
        case .jump: return [(to(instruction.a), 0)]
        case .assertStart: return atStart ? [(to(Int32(pc + 1)), 0)] : []
        case .assertEnd: return [(to(Int32(pc + 1), atStart, true), 0)]
        case .match: return []
        }
    }

    /// Nodes reachable from `seeds` (themselves included).
    func reachable(from seeds: [Int]) -> [Bool] {
        var seen = Array(repeating: false, count: nodeCount)
        var stack = seeds
        while let node = stack.popLast() {
            if seen[node] { continue }
            seen[node] = true
            for edge in edges(of: node) where !seen[edge.target] { stack.append(edge.target) }
        }
        return seen
    }

    /// Nodes reachable from `start` that can also reach an accepting node:
    /// the only ones a successful run passes through.
    func usefulNodes() -> [Bool] {
        let forward = reachable(from: [Self.start])
        var predecessors = Array(repeating: [Int](), count: nodeCount)
        var stack: [Int] = []
        for node in 0..<nodeCount where forward[node] {
            for edge in edges(of: node) { predecessors[edge.target].append(node) }
            if isAccepting(node) { stack.append(node) }
        }
        var useful = Array(repeating: false, count: nodeCount)
        while let node = stack.popLast() {
            if useful[node] { continue }
            useful[node] = true
            stack.append(contentsOf: predecessors[node].filter { !useful[$0] })
        }
        return useful
    }

    /// Strongly connected components of the nodes marked in `within`, reached
    /// from `root`, numbered so that every edge between two components goes
    /// to a lower number (Tarjan's algorithm, iterative). -1 for the rest.
    func components(from root: Int, within: [Bool]) -> (component: [Int], count: Int) {
        var index = Array(repeating: -1, count: nodeCount)
        var low = Array(repeating: 0, count: nodeCount)
        var onStack = Array(repeating: false, count: nodeCount)
        var component = Array(repeating: -1, count: nodeCount)
        var members: [Int] = []
        var frames: [(node: Int, edges: [Edge], next: Int)] = []
        var counter = 0
        var count = 0
        func visit(_ node: Int) {
            index[node] = counter
            low[node] = counter
            counter += 1
            members.append(node)
            onStack[node] = true
            frames.append((node, edges(of: node).filter { within[$0.target] }, 0))
        }
        visit(root)
        while let frame = frames.last {
            let v = frame.node
            if frame.next < frame.edges.count {
                frames[frames.count - 1].next += 1
                let w = frame.edges[frame.next].target
                if index[w] == -1 {
                    visit(w)
                } else if onStack[w] {
                    low[v] = min(low[v], index[w])
                }
                continue
            }
            frames.removeLast()
            if let parent = frames.last { low[parent.node] = min(low[parent.node], low[v]) }
            if low[v] == index[v] {
                while let w = members.popLast() {
                    onStack[w] = false
                    component[w] = count
                    if w == v { break }
                }
                count += 1
            }
        }
        return (component, count)
    }
}
