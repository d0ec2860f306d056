/// Questions about every string a pattern accepts over a keypad alphabet,
/// answered on the automaton (no enumeration of strings). Alphabet characters
/// made of several Unicode scalars are ignored.
extension Pattern {
    /// Whether some string over `alphabet` that starts with `prefix` matches:
    /// does pressing these keys begin a dial-by-extension match (W108)?
    /// The prefix itself need not be over the alphabet.
    public func canBeginMatch(_ prefix: String, alphabet: Set<Character>) -> Bool {
        var matcher = PatternMatcher(program)
        matcher.start(atEnd: false)
        for scalar in prefix.unicodeScalars {
            matcher.step(scalar.value, atEnd: false)
        }
        let seeds = matcher.current.elements.map {
            PatternGraph.node(Int($0), atStart: prefix.isEmpty, ended: false)
        }
        let graph = PatternGraph(program, alphabet: alphabet)
        let reached = graph.reachable(from: seeds)
        return reached.indices.contains { reached[$0] && graph.isAccepting($0) }
    }

    /// The length of the longest string over `alphabet` that matches; nil
    /// when matches can be arbitrarily long. 0 when only the empty string
    /// matches, or nothing does (ask `canMatch(lengths:alphabet:)` to tell).
    public func maxMatchLength(alphabet: Set<Character>) -> Int? {
        let graph = PatternGraph(program, alphabet: alphabet)
        let useful = graph.usefulNodes()
        guard useful[PatternGraph.start] else { return 0 }
        let (component, count) = graph.components(from: PatternGraph.start, within: useful)
        var byComponent = Array(repeating: [Int](), count: count)
        for node in component.indices where component[node] >= 0 {
            byComponent[component[node]].append(node)
        }
        // Components come sinks first, so successors are done before use.
        var longest = Array(repeating: -1, count: count)
        for c in 0..<count {
            for node in byComponent[c] {
                if graph.isAccepting(node) { longest[c] = max(longest[c], 0) }
                for edge in graph.edges(of: node) where useful[edge.target] {
                    let d = component[edge.target]
                    if d == c {
                        if edge.weight > 0 { return nil }  // a cycle that consumes keys
                    } else if longest[d] >= 0 {
                        longest[c] = max(longest[c], longest[d] + edge.weight)
                    }
                }
            }
        }
        return max(longest[component[PatternGraph.start]], 0)
    }

    /// The length of the shortest string over `alphabet` that matches; nil
    /// when none does. A breadth-first walk in which keys cost 1 and
    /// everything else 0, linear in the program size.
    public func minMatchLength(alphabet: Set<Character>) -> Int? {
        let graph = PatternGraph(program, alphabet: alphabet)
        var distance = Array(repeating: Int.max, count: graph.nodeCount)
        var level = [PatternGraph.start]
        distance[PatternGraph.start] = 0
        var k = 0
        while !level.isEmpty {
            var next: [Int] = []
            var i = 0
            while i < level.count {
                let node = level[i]
                i += 1
                guard distance[node] == k else { continue }
                if graph.isAccepting(node) { return k }
                for edge in graph.edges(of: node) where distance[edge.target] > k + edge.weight {
                    distance[edge.target] = k + edge.weight
                    if edge.weight == 0 { level.append(edge.target) } else { next.append(edge.target) }
                }
            }
            level = next
            k += 1
        }
        return nil
    }

    /// Whether some string over `alphabet` with a length in `lengths` matches
    /// (E107: can a capture of `min...max` digits ever satisfy its pattern?).
    ///
    /// Walks the sets of states reachable with exactly k keys, stopping when a
    /// set repeats (the rest is periodic) or after `lengths.lowerBound` plus
    /// the automaton's size (any longer match implies a shorter one in range).
    /// For automata too large to settle within 10,000 steps it answers true,
    /// so that a checker never reports a false E107.
    public func canMatch(lengths: ClosedRange<Int>, alphabet: Set<Character>) -> Bool {
        guard lengths.upperBound >= 0 else { return false }
        let low = max(lengths.lowerBound, 0)
        let high = lengths.upperBound
        let graph = PatternGraph(program, alphabet: alphabet)
        let useful = graph.usefulNodes()
        guard useful[PatternGraph.start] else { return false }
        let usefulCount = useful.lazy.filter { $0 }.count

        func advance(_ nodes: [Int], weight: Int) -> [Int] {
            var seen = Set<Int>()
            var stack = nodes
            var result: [Int] = []
            if weight == 1 {
                stack = nodes.flatMap { graph.edges(of: $0).filter { $0.weight == 1 && useful[$0.target] }.map(\.target) }
            }
            while let node = stack.popLast() {
                guard seen.insert(node).inserted else { continue }
                result.append(node)
                for edge in graph.edges(of: node) where edge.weight == 0 && useful[edge.target] {
                    stack.append(edge.target)
                }
            }
            return result.sorted()
        }

        var states = advance([PatternGraph.start], weight: 0)
        var firstSeen: [[Int]: Int] = [:]
        var accepting: [Bool] = []
        var k = 0
        while !states.isEmpty {
            let accepts = states.contains(where: graph.isAccepting)
            if accepts, k >= low { return true }
            if k >= high || k - usefulCount > low { return false }
            if let j = firstSeen[states] {
                return Self.periodicHit(accepting: accepting, from: j, period: k - j, low: low, high: high)
            }
            if k >= 10_000 { return true }
            firstSeen[states] = k
            accepting.append(accepts)
            states = advance(states, weight: 1)
            k += 1
        }
        return false
    }

    /// With `accepting[k]` known for k < j + period and the state sets
    /// repeating from j with `period`, whether an accepted length lies in
    /// `low...high` (every k below is known to be below `low`).
    private static func periodicHit(accepting: [Bool], from j: Int, period: Int, low: Int, high: Int) -> Bool {
        for k in j..<(j + period) where accepting[k] {
            let gap = low - k
            let steps = gap / period + (gap % period == 0 ? 0 : 1)
            let (span, overflow) = steps.multipliedReportingOverflow(by: period)
            if !overflow, span <= high - k { return true }
        }
        return false
    }
}
