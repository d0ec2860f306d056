/// `branch:` arms (section 3) and their `if` expressions (section 5.2).
extension FlowBuilder {
    static let armFields: FieldNames = ["if", "then", "else"]

    mutating func buildBranch(_ node: YAMLView) -> Branch? {
        guard let items = node.lazyItems else {
            sink.emit(.E005, "'branch' must be a list of {if, then} arms and an optional {else}, found \(node.kindName)",
                      at: node.range)
            return nil
        }
        if items.isEmpty {
            sink.emit(.E004, "'branch' has no arms", at: node.range)
            return nil
        }
        var arms: [Branch.Arm] = []
        var otherwise: Target?
        for (index, item) in items.enumerated() {
            guard let f = fields(of: item, in: "a branch arm", allowed: Self.armFields) else { continue }
            if let elseNode = f["else"] {
                if f["if"] != nil || f["then"] != nil {
                    sink.emit(.E006, "an arm has either 'if' and 'then', or only 'else'", at: f.key("else")!.range)
                    nodeIsMalformed = true
                }
                if index != items.count - 1 {
                    sink.emit(.E006, "'else' must be the last arm of a branch", at: f.key("else")!.range,
                              help: "arms after 'else' could never run")
                    nodeIsMalformed = true
                }
                otherwise = buildTarget(elseNode, "else")
                continue
            }
            guard let ifNode = f.require("if", &self, what: "'if'") else { continue }
            let thenTarget = f.require("then", &self, what: "'then'").flatMap { buildTarget($0, "then") }
            guard let source = conditionSource(ifNode) else { continue }
            let condition = parseCondition(source, node: ifNode)
            if let thenTarget {
                arms.append(Branch.Arm(source: source, condition: condition, then: thenTarget))
            }
        }
        return Branch(arms: arms, otherwise: otherwise)
    }

    private mutating func conditionSource(_ node: YAMLView) -> Located<String>? {
        guard let s = node.scalar, !node.isNull else {
            sink.emit(.E005, "'if' must be an expression, found \(node.kindName)", at: node.range)
            nodeIsMalformed = true
            return nil
        }
        return Located(s, node.range)
    }

    /// Parses the condition; E402 on a syntax error.
    private mutating func parseCondition(_ source: Located<String>, node: YAMLView) -> Expression? {
        switch ExpressionParser.parse(sourceMap(node)) {
        case .success(let e):
            return e
        case .failure(let error):
            sink.emit(.E402, error.message, at: error.range)
            nodeIsMalformed = true
            return nil
        }
    }
}
