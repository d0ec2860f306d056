/// Prints a verified bundle as assembly: one block per flow, node names as
/// labels, `Lnnnn:` for other jump targets, constants inline, and the source
/// position of each instruction when the debug section is present. When the
/// source files are given (by their debug path), each new source line is
/// printed above the instructions compiled from it.
public enum Disassembler {
    public static func disassemble(_ bundle: VerifiedBundle, sources: [String: [String]] = [:]) -> String {
        let s = bundle.strings
        var out = "; ivrc bundle, format \(BundleFormat.versionString): \(bundle.flows.count) flow(s), "
        out += "\(s.count) constant(s), \(bundle.image.hasDebugInfo ? "debug info" : "stripped")\n"
        for (index, flow) in bundle.flows.enumerated() {
            out += "\n"
            out += "flow \(s[flow.name])"
            if let ext = flow.extensionNumber { out += " extension \(quote(s[ext]))" }
            if !flow.servers.isEmpty { out += " servers " + flow.servers.map { quote(s[$0]) }.joined(separator: ", ") }
            if let file = flow.debug?.file, !file.isEmpty { out += "  ; \(file)" }
            out += "\n"
            let vars = flow.variables.map { s[$0.name] + ($0.input ? " (input)" : "") + ($0.sensitive ? " (sensitive)" : "") }
            out += "  variables: \(vars.joined(separator: ", "))\n"
            out += "  attempt counters: \(flow.slots)\n"
            for sched in flow.schedules {
                out += "  hours \(s[sched.name])" + (sched.timezone.map { " " + s[$0] } ?? "") + "\n"
            }
            let entryName = flow.nodes.first { $0.offset == flow.entry }.map { s[$0.name] } ?? label(flow.entry)
            out += "  entry: \(entryName)\n"
            out += disassembleCode(bundle, flow: index, source: flow.debug.flatMap { sources[$0.file] })
        }
        return out
    }

    private static func disassembleCode(_ bundle: VerifiedBundle, flow index: Int, source: [String]?) -> String {
        let flow = bundle.flows[index]
        let s = bundle.strings
        let instructions = bundle.instructions(ofFlow: index)
        var targets: Set<Int> = []
        for ins in instructions {
            for case .label(let t) in ins.operands { targets.insert(t) }
        }
        var nodeAt: [Int: String] = [:]
        for n in flow.nodes { nodeAt[n.offset] = s[n.name] }
        let width = max(4, String(flow.code.count).count)
        var out = ""
        var lastLine = 0
        for ins in instructions {
            if let source, let pos = flow.debug?.position(at: ins.offset), pos.line != lastLine,
               pos.line >= 1, pos.line <= source.count {
                out += "  ; \(pos.line) | \(source[pos.line - 1])\n"
                lastLine = pos.line
            }
            if let node = nodeAt[ins.offset] {
                out += "\(node):\n"
            } else if targets.contains(ins.offset) {
                out += "\(label(ins.offset)):\n"
            }
            let offset = String(ins.offset)
            var line = "  " + String(repeating: "0", count: max(0, width - offset.count)) + offset + "  "
            line += ins.opcode.name.padding(10)
            line += ins.operands.map { render($0, bundle: bundle, flow: flow, nodeAt: nodeAt) }.joined(separator: ", ")
            if let pos = flow.debug?.position(at: ins.offset) {
                line = line.padding(64) + "; \(flow.debug?.file ?? ""):\(pos.line):\(pos.column)"
            }
            out += line + "\n"
        }
        return out
    }

    static func render(_ operand: Operand, bundle: VerifiedBundle, flow: FlowImage, nodeAt: [Int: String]) -> String {
        let s = bundle.strings
        func name(_ v: Int) -> String { "$" + s[flow.variables[v].name] }
        func text(_ parts: [TextPart]) -> String {
            "\"" + parts.map { part in
                switch part {
                case .constant(let c): escape(s[c])
                case .variable(let v): "${\(s[flow.variables[v].name])}"
                }
            }.joined() + "\""
        }
        switch operand {
        case .uint(let v): return String(v)
        case .string(let i): return quote(s[i])
        case .optString(let i): return i.map { quote(s[$0]) } ?? "-"
        case .variable(let v): return name(v)
        case .optVariable(let v): return v.map(name) ?? "-"
        case .slot(let n): return "#\(n)"
        case .label(let t): return nodeAt[t] ?? label(t)
        case .key(let k): return "'\(k)'"
        case .optKey(let k): return k.map { "'\($0)'" } ?? "-"
        case .text(let parts): return text(parts)
        case .optText(let parts): return parts.map(text) ?? "-"
        case .flow(let f): return "flow " + bundle.flowName(f)
        case .destination(let d): return DestinationKind(code: d)?.rawValue ?? "?"
        case .expression(let e): return expression(e, bundle: bundle, flow: flow)
        }
    }

    static func expression(_ e: CodeExpression, bundle: VerifiedBundle, flow: FlowImage) -> String {
        let s = bundle.strings
        switch e {
        case .string(let i): return quote(s[i])
        case .number(let n): return n.description
        case .bool(let b): return b ? "true" : "false"
        case .variable(let v): return s[flow.variables[v].name]
        case .not(let x): return "not " + expression(x, bundle: bundle, flow: flow)
        case .binary(let op, let l, let r):
            return "(\(expression(l, bundle: bundle, flow: flow)) \(op.rawValue) \(expression(r, bundle: bundle, flow: flow)))"
        case .call(let fn, let args):
            return fn.name + "(" + args.map { expression($0, bundle: bundle, flow: flow) }.joined(separator: ", ") + ")"
        case .open(let i): return "open(\(quote(s[flow.schedules[i].name])))"
        }
    }

    /// One instruction as the listing prints it (`MENU #0`), for execution traces.
    public static func line(_ bundle: VerifiedBundle, flow index: Int, offset: Int) -> String {
        let flow = bundle.flows[index]
        guard let ins = bundle.programs[index].instruction(at: offset) else { return "?" }
        var nodeAt: [Int: String] = [:]
        for n in flow.nodes { nodeAt[n.offset] = bundle.strings[n.name] }
        let operands = ins.operands.map { render($0, bundle: bundle, flow: flow, nodeAt: nodeAt) }.joined(separator: ", ")
        return ins.opcode.name + (operands.isEmpty ? "" : " " + operands)
    }

    static func label(_ offset: Int) -> String { "L\(offset)" }

    static func quote(_ s: String) -> String { "\"" + escape(s) + "\"" }

    private static func escape(_ s: String) -> String { JSONEscape.escape(s) }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
