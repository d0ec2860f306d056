/// Strongly connected components of a directed graph, by Tarjan's
/// algorithm run with an explicit stack (flows can be large; the call stack
/// must not grow with them).
public struct StronglyConnected: Sendable {
    /// The component of each vertex. Components are numbered in the order
    /// Tarjan completes them: a component's successors have smaller numbers.
    public private(set) var component: [Int]
    public private(set) var count = 0
    /// Whether the component has a cycle: more than one vertex, or a self-loop.
    public private(set) var isCyclic: [Bool] = []

    /// `successors(v)` lists the targets of `v`'s edges that take part.
    public init(vertexCount: Int, successors: (Int) -> [Int]) {
        var offsets = [0]
        var targets: [Int] = []
        for v in 0..<vertexCount {
            targets += successors(v)
            offsets.append(targets.count)
        }
        self.init(vertexCount: vertexCount, offsets: offsets, targets: targets)
    }

    /// The graph in compressed rows: the edges of `v` lead to
    /// `targets[offsets[v]..<offsets[v + 1]]`.
    init(vertexCount: Int, offsets: [Int], targets: [Int]) {
        component = Array(repeating: -1, count: vertexCount)
        var index = Array(repeating: -1, count: vertexCount)
        var low = Array(repeating: 0, count: vertexCount)
        var onStack = Array(repeating: false, count: vertexCount)
        var stack: [Int] = []
        var next = 0
        // The depth-first path: each vertex with the position of its next edge.
        var frameVertex: [Int] = []
        var framePosition: [Int] = []

        for root in 0..<vertexCount where index[root] < 0 {
            if offsets[root] == offsets[root + 1] {
                // No edges: a component of its own, without a cycle.
                index[root] = next; next += 1
                component[root] = count
                isCyclic.append(false)
                count += 1
                continue
            }
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            frameVertex.append(root); framePosition.append(offsets[root])
            while let v = frameVertex.last {
                let top = frameVertex.count - 1
                let position = framePosition[top]
                if position < offsets[v + 1] {
                    let w = targets[position]
                    framePosition[top] = position + 1
                    guard w >= 0, w < vertexCount else { continue }
                    if index[w] < 0 {
                        index[w] = next; low[w] = next; next += 1
                        stack.append(w); onStack[w] = true
                        frameVertex.append(w); framePosition.append(offsets[w])
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                    continue
                }
                frameVertex.removeLast(); framePosition.removeLast()
                if let parent = frameVertex.last { low[parent] = min(low[parent], low[v]) }
                guard low[v] == index[v] else { continue }
                var size = 0
                while let w = stack.popLast() {
                    onStack[w] = false
                    component[w] = count
                    size += 1
                    if w == v { break }
                }
                let selfLoop = size == 1 && targets[offsets[v]..<offsets[v + 1]].contains(v)
                isCyclic.append(size > 1 || selfLoop)
                count += 1
            }
        }
    }
}
