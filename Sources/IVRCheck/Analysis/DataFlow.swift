/// A forward data-flow problem over a flow's graph, solved with a work list:
/// a set of variables (by number) at the entry of every vertex, all kept in
/// one flat array of bit words.
struct DataFlow {
    /// The solution: `words` words per vertex, vertex after vertex.
    struct States {
        let words: Int
        var bits: [UInt64]

        func contains(_ vertex: Int, _ n: Int) -> Bool {
            n >= 0 && n < words * 64 && bits[vertex * words + (n >> 6)] & (1 << UInt64(n & 63)) != 0
        }

        /// Whether the set at `vertex` holds any member of `other` (same width).
        func intersects(_ vertex: Int, _ other: [UInt64]) -> Bool {
            for k in 0..<words where bits[vertex * words + k] & other[k] != 0 { return true }
            return false
        }
    }

    /// `must`: meet is intersection and unreached vertices hold every
    /// variable (definite assignment); otherwise meet is union and they hold
    /// none (taint). Vertices outside `special` pass their set on unchanged;
    /// for the others `transfer(vertex, edge, &set)` edits a copy of the set
    /// for the edge (an index into `graph.edges.all`).
    static func solve(
        _ graph: FlowGraph, variables: Int, must: Bool, entry: [UInt64], special: BitSet,
        transfer: (_ vertex: Int, _ edge: Int, _ state: inout [UInt64]) -> Void
    ) -> States {
        let words = max(1, (variables + 63) / 64)
        var initial = Array(repeating: UInt64(0), count: words)
        if must {
            for k in 0..<words { initial[k] = ~0 }
            let spare = words * 64 - variables
            if spare > 0 && spare < 64 { initial[words - 1] >>= UInt64(spare) }
        }
        var bits: [UInt64] = []
        bits.reserveCapacity(graph.vertexCount * words)
        for _ in 0..<graph.vertexCount { bits += initial }
        guard let start = graph.start else { return States(words: words, bits: bits) }
        for k in 0..<words { bits[start * words + k] = k < entry.count ? entry[k] : 0 }
        var visited = BitSet(capacity: graph.vertexCount)
        var queued = BitSet(capacity: graph.vertexCount)
        var work = [start]
        visited.insert(start)
        queued.insert(start)
        var scratch = Array(repeating: UInt64(0), count: words)
        let offsets = graph.edges.offsets, targets = graph.edgeTargets
        while let v = work.popLast() {
            queued.remove(v)
            let isSpecial = special.contains(v)
            for i in offsets[v]..<offsets[v + 1] {
                let t = targets[i]
                let first = visited.insert(t)
                var changed = false
                if isSpecial {
                    for k in 0..<words { scratch[k] = bits[v * words + k] }
                    transfer(v, i, &scratch)
                }
                for k in 0..<words {
                    let incoming = isSpecial ? scratch[k] : bits[v * words + k]
                    let old = bits[t * words + k]
                    let merged = must ? old & incoming : old | incoming
                    if merged != old { bits[t * words + k] = merged; changed = true }
                }
                if changed || first, queued.insert(t) { work.append(t) }
            }
        }
        return States(words: words, bits: bits)
    }
}
