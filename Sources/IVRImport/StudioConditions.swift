import Foundation

/// A Studio `split-based-on` as a `branch`: each `match` transition's
/// conditions as an expression on the input variable, `noMatch` as `else`.
enum StudioConditions {
    static func branch(_ w: StudioImporter.Widget, mapper: StudioWidgetMapper, draft: inout FlowDraft) -> YAMLValue {
        let input = w.property("input")?.text ?? ""
        var variable: String?
        let trimmed = input.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}"), trimmed.count >= 4 {
            variable = LiquidTemplates.variable(String(trimmed.dropFirst(2).dropLast(2)))
        }
        if variable == nil {
            draft.warn(w.line, "split '\(w.name)' tests '\(input)', which is not a variable ivrc has; its conditions are false")
        }
        var arms: [YAMLValue] = []
        for match in mapper.matchTransitions(w) {
            let parts = match.conditions.map { c in
                variable.flatMap { expression(c, $0) } ?? {
                    if variable != nil { draft.warn(c.line, "split '\(w.name)': condition \(c.type) '\(c.value)' has no ivrc expression; it is false") }
                    return "false"
                }()
            }
            let condition = parts.isEmpty ? "false" : parts.count == 1 ? parts[0] : parts.map { "(\($0))" }.joined(separator: " and ")
            arms.append(.map([("if", .scalar(condition)), ("then", .scalar(match.next.map(mapper.nodeName) ?? "hangup"))]))
        }
        arms.append(.map([("else", mapper.target(w, "noMatch"))]))
        return .step("branch", .list(arms))
    }

    /// One condition on `v`, or nil when there is no equivalent.
    static func expression(_ c: StudioWidgetMapper.Condition, _ v: String) -> String? {
        let value = c.value
        guard !value.contains("\""), !value.contains("\\") else { return nil }
        let q = "\"" + value + "\""
        let number = Double(value) != nil ? value : nil
        switch c.type {
        case "equal_to": return "\(v) == \(q)"
        case "not_equal_to": return "\(v) != \(q)"
        case "matches_any_of", "does_not_match_any_of":
            let any = value.split(separator: ",").map { "\(v) == \"\($0.trimmingCharacters(in: .whitespaces))\"" }
                .joined(separator: " or ")
            return c.type == "matches_any_of" ? any : "not (\(any))"
        case "is_blank": return "len(\(v)) == 0"
        case "is_not_blank": return "len(\(v)) > 0"
        case "regex": return "matches(\(v), \(q))"
        case "starts_with": return "starts_with(\(v), \(q))"
        case "does_not_start_with": return "not starts_with(\(v), \(q))"
        case "contains", "does_not_contain":
            // Only text without regex characters reads the same as a pattern.
            guard !value.contains(where: { "^$.|?*+()[]{}".contains($0) }) else { return nil }
            let test = "matches(\(v), \(q))"
            return c.type == "contains" ? test : "not \(test)"
        case "less_than": return number.map { "num(\(v)) < \($0)" }
        case "greater_than": return number.map { "num(\(v)) > \($0)" }
        default: return nil
        }
    }
}
