/// `ivrc graph --format mermaid`: a Mermaid flowchart for a `PhoneTree`,
/// for Markdown that GitHub, GitLab and many wikis render.
///
/// Vertices are numbered (`v0`, `v1`, ...) because Mermaid ids cannot hold
/// every node name; labels carry the names. One subgraph per flow; shapes
/// and colours by kind through `classDef`, unreachable nodes grey.
extension PhoneTree {
    public func mermaid() -> String {
        var ids: [String: String] = [:]
        for (index, vertex) in vertices.enumerated() { ids[vertex.id] = "v\(index)" }
        var out = "flowchart TD\n"
        var inClusters = Set<String>()
        for (index, cluster) in clusters.enumerated() {
            let title = cluster.flow + (cluster.extensionNumber.map { " (extension \($0))" } ?? "")
            out += "  subgraph f\(index)[\"\(Self.mermaidText(title))\"]\n"
            for id in cluster.vertices {
                guard let vertex = vertex(id), let short = ids[id] else { continue }
                inClusters.insert(id)
                out += "    " + Self.mermaidVertex(vertex, id: short) + "\n"
            }
            out += "  end\n"
        }
        for vertex in vertices where !inClusters.contains(vertex.id) {
            if let short = ids[vertex.id] { out += "  " + Self.mermaidVertex(vertex, id: short) + "\n" }
        }
        for edge in edges {
            guard let from = ids[edge.from], let to = ids[edge.to] else { continue }
            let arrow = edge.dashed || edge.implicit ? "-.->" : "-->"
            let label = edge.implicit ? "implicit" : edge.label
            out += "  \(from) \(arrow)" + (label.map { "|\"\(Self.mermaidText($0))\"|" } ?? "") + " \(to)\n"
        }
        var classes: [String: [String]] = [:]
        for vertex in vertices {
            guard let short = ids[vertex.id] else { continue }
            classes[vertex.reachable ? vertex.kind.rawValue : "unreachable", default: []].append(short)
        }
        // Class names get a prefix: `end` is a Mermaid keyword.
        for (kind, members) in classes.sorted(by: { $0.key < $1.key }) {
            out += "  classDef ivr_\(kind) \(Self.mermaidClass(kind))\n"
            out += "  class \(members.joined(separator: ",")) ivr_\(kind)\n"
        }
        return out
    }

    static func mermaidVertex(_ v: Vertex, id: String) -> String {
        var lines = v.title.isEmpty ? [] : [v.title]
        lines += v.details
        let text = "\"" + (lines.isEmpty ? " " : lines.map(mermaidText).joined(separator: "<br/>")) + "\""
        switch v.kind {
        case .menu: return "\(id){{\(text)}}"
        case .capture: return "\(id)[/\(text)/]"
        case .transfer: return "\(id)>\(text)]"
        case .hangup: return "\(id)([\(text)])"
        case .branch: return "\(id){\(text)}"
        case .webhook: return "\(id)[[\(text)]]"
        case .record: return "\(id)[(\(text))]"
        case .entry: return "\(id)((\(text)))"
        case .end: return "\(id)(((\(text))))"
        case .external: return "\(id)[\\\(text)\\]"
        case .step, .back, .missing: return "\(id)[\(text)]"
        }
    }

    static func mermaidClass(_ kind: String) -> String {
        if kind == "unreachable" { return "fill:#f3f4f6,stroke:#9ca3af,color:#9ca3af,stroke-dasharray:4 3" }
        if kind == Kind.entry.rawValue { return "fill:#111827,stroke:#111827,color:#ffffff" }
        let style = Kind(rawValue: kind).map(dotStyle) ?? dotStyle(.step)
        return "fill:\(style.fill),stroke:\(style.stroke),color:#111827"
    }

    /// Text inside a quoted Mermaid label: quotes, markup and Markdown
    /// characters as entity codes.
    static func mermaidText(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "&": out += "#amp;"
            case "|": out += "#124;"
            case "*": out += "#42;"   // GitHub reads labels as Markdown: * would be emphasis
            case "`": out += "#96;"
            case "\n": out += " "
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
