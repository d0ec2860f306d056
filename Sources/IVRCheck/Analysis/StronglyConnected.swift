/// Strongly connected components of a directed graph given as adjacency
/// lists, by Tarjan's algorithm run with an explicit stack (flows can be
/// large; the call stack must not grow with them).
public struct StronglyConnected: Sendable {
    /// The component of each vertex. Components are numbered in the order
    /// Tarjan completes them: a component's successors have smaller numbers.
    public private(set) var component: [Int]
    public private(set) var count = 0
    /// Whether the component has a cycle: more than one vertex, or a self-loop.
    public private(set) var isCyclic: [Bool] = []

    /// `successors(v)` lists the targets of `v`'s edges that take part.
    public init(vertexCount: Int, successors: (Int) -> [Int]) {
        component = Array(repeating: -1, count: vertexCount)
        var index = Array(repeating: -1, count: vertexCount)
        var low = Array(repeating: 0, count: vertexCount)
        var onStack = Array(repeating: false, count: vertexCount)
        var stack: [Int] = []
        var next = 0
        // Each frame: a vertex, its successors, and how many were looked at.
        var frames: [(vertex: Int, successors: [Int], position: Int)] = []

        for root in 0..<vertexCount where index[root] < 0 {
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            frames.append((root, successors(root), 0))
            while !frames.isEmpty {
                let top = frames.count - 1
                let v = frames[top].vertex
                if frames[top].position < frames[top].successors.count {
                    let w = frames[top].successors[frames[top].position]
                    frames[top].position += 1
                    guard w >= 0, w < vertexCount else { continue }
                    if index[w] < 0 {
                        index[w] = next; low[w] = next; next += 1
                        stack.append(w); onStack[w] = true
                        frames.append((w, successors(w), 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last?.vertex { low[parent] = min(low[parent], low[v]) }
                guard low[v] == index[v] else { continue }
                var size = 0
                var selfLoop = false
                while let w = stack.popLast() {
                    onStack[w] = false
                    component[w] = count
                    size += 1
                    if w == v { break }
                }
                if size == 1 { selfLoop = successors(v).contains(v) }
                isCyclic.append(size > 1 || selfLoop)
                count += 1
            }
        }
    }
}
