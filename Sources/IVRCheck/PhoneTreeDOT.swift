/// `ivrc graph --format dot`: Graphviz source for a `PhoneTree`.
///
/// One cluster per flow. Shapes by kind (menu: rounded box, capture:
/// box with cut corners, transfer: arrow, hangup: octagon, branch: diamond,
/// webhook: component, record: cylinder), exceptional paths dashed,
/// implicit hangups dotted, unreachable nodes grey.
extension PhoneTree {
    public func dot() -> String {
        var out = """
            digraph ivr {
              graph [rankdir=TB, fontname="Helvetica", fontsize=12, nodesep=0.35, ranksep=0.45, newrank=true];
              node [fontname="Helvetica", fontsize=11, style=filled, fillcolor="#ffffff", color="#374151", margin="0.12,0.06"];
              edge [fontname="Helvetica", fontsize=10, color="#374151", arrowsize=0.7];

            """
        for (index, cluster) in clusters.enumerated() {
            let title = cluster.flow + (cluster.extensionNumber.map { " (extension \($0))" } ?? "")
            out += "  subgraph cluster_\(index) {\n"
            out += "    label=\(Self.quoted(title)); style=\"rounded,dashed\"; color=\"#9ca3af\"; fontcolor=\"#374151\";\n"
            for id in cluster.vertices {
                if let vertex = vertex(id) { out += "    " + Self.dotVertex(vertex) + "\n" }
            }
            out += "  }\n"
        }
        let inClusters = Set(clusters.flatMap(\.vertices))
        for vertex in vertices where !inClusters.contains(vertex.id) {
            out += "  " + Self.dotVertex(vertex) + "\n"
        }
        for edge in edges {
            var attributes: [String] = []
            if let label = edge.label { attributes.append("label=\(Self.quoted(" \(label) "))") }
            if edge.implicit {
                attributes += ["style=dotted", "label=\" implicit \"", "fontcolor=\"#6b7280\""]
            } else if edge.dashed {
                attributes += ["style=dashed", "color=\"#b45309\"", "fontcolor=\"#b45309\""]
            }
            if edge.from == edge.to, edge.dashed {
                // Retries loop on the left, `repeat` on the right: their labels stay apart.
                attributes += ["tailport=w", "headport=w"]
            }
            if vertex(edge.from)?.reachable == false {
                attributes += ["color=\"#d1d5db\"", "fontcolor=\"#9ca3af\""]
            }
            let list = attributes.isEmpty ? "" : " [" + attributes.joined(separator: ", ") + "]"
            out += "  \(Self.quoted(edge.from)) -> \(Self.quoted(edge.to))\(list);\n"
        }
        return out + "}\n"
    }

    static func dotVertex(_ v: Vertex) -> String {
        var (shape, fill, stroke) = dotStyle(v.kind)
        var style = v.kind == .menu || v.kind == .entry ? "rounded,filled" : "filled"
        if v.kind == .capture { style += ",diagonals" }
        var font = v.kind == .entry ? "#ffffff" : "#111827"
        if v.kind == .back || v.kind == .external { style += ",dashed" }
        if !v.reachable {
            (fill, stroke, font) = ("#f3f4f6", "#9ca3af", "#9ca3af")
            style += ",dashed"
        }
        var label = v.title.isEmpty ? "" : "<b>\(html(v.title))</b>"
        for line in v.details {
            label += (label.isEmpty ? "" : "<br/>") + "<font point-size=\"9\">\(html(line))</font>"
        }
        if label.isEmpty { label = " " }
        return "\(quoted(v.id)) [label=<\(label)>, shape=\(shape), style=\"\(style)\", "
            + "fillcolor=\"\(fill)\", color=\"\(stroke)\", fontcolor=\"\(font)\"];"
    }

    static func dotStyle(_ kind: Kind) -> (shape: String, fill: String, stroke: String) {
        switch kind {
        case .menu: ("box", "#dbeafe", "#1d4ed8")
        case .capture: ("box", "#e0f2fe", "#0369a1")
        case .transfer: ("cds", "#dcfce7", "#15803d")
        case .hangup: ("octagon", "#fee2e2", "#b91c1c")
        case .branch: ("diamond", "#fef9c3", "#a16207")
        case .webhook: ("component", "#f3e8ff", "#7e22ce")
        case .record: ("cylinder", "#ffedd5", "#c2410c")
        case .step: ("box", "#ffffff", "#374151")
        case .entry: ("box", "#111827", "#111827")
        case .end: ("doubleoctagon", "#fecaca", "#991b1b")
        case .back: ("box", "#ffffff", "#6b7280")
        case .external: ("box3d", "#f9fafb", "#374151")
        case .missing: ("note", "#fef2f2", "#dc2626")
        }
    }

    /// A double-quoted DOT id or string.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// Text inside an HTML-like label.
    static func html(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += " "
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
