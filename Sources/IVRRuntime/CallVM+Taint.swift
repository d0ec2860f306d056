import IVRBytecode

/// Sensitivity as values flow (taint). A variable is sensitive when its
/// table entry says so (the `into` of a `sensitive: true` capture, marked by
/// the compiler) or when the call last wrote it from a sensitive value: a
/// sensitive capture, or a `set` whose text interpolates any sensitive
/// variable, wholly or in part (`"x${pin}y"`), directly or through other
/// `set`s. Any other write (a `set` of plain values, a capture that is not
/// sensitive, a webhook answer, a recording) clears the taint, as in the
/// checker's E503 analysis.
///
/// The machine keeps real values: transfers and webhooks go where the flow
/// says. What it shows (events, records, reports, logs) carries `***`
/// instead: a whole value for variables and destinations, each sensitive
/// part for texts (webhook URLs, and spoken text, which the checker refuses
/// anyway).
extension CallVM {
    /// Whether the variable holds a sensitive value now.
    func isSensitive(_ v: Int) -> Bool {
        (!taint.isEmpty && taint[v]) || (flowHasSensitive && image.variables[v].sensitive)
    }

    /// Whether an interpolated text includes a sensitive variable. A flow
    /// without sensitive captures, in a call without taint, pays one test.
    func isTainted(_ parts: [TextPart]) -> Bool {
        guard flowHasSensitive || !taint.isEmpty else { return false }
        return parts.contains { if case .variable(let v) = $0 { isSensitive(v) } else { false } }
    }

    /// The text as it may be shown: each sensitive variable is `***`.
    func shown(_ parts: [TextPart], escape: (String) -> String = { $0 }) -> String {
        var out = ""
        for p in parts {
            switch p {
            case .constant(let i): out += strings[i]
            case .variable(let v) where isSensitive(v): out += CallVM.redacted
            case .variable(let v): out += escape(variables[v] ?? "")
            }
        }
        return out
    }

    /// A `set`: the value, and its taint from the parts it was made of.
    mutating func assign(_ v: Int, _ parts: [TextPart]) {
        let tainted = isTainted(parts)
        variables[v] = interpolate(parts)
        if tainted || !taint.isEmpty { taint[v] = tainted }
    }

    /// Any other write (capture, webhook answer, recording).
    mutating func store(_ v: Int, _ value: String?, sensitive: Bool = false) {
        variables[v] = value
        if sensitive || !taint.isEmpty { taint[v] = sensitive }
    }
}
