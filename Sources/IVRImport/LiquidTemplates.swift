import Foundation

/// Twilio Studio's Liquid templates (`{{widgets.gather.Digits}}`,
/// `{{flow.variables.x}}`, `{{trigger.call.From}}`) as flow variables.
/// Filters (`| upcase`) and tags (`{% if %}`) have no equivalent.
enum LiquidTemplates {
    /// The variable a Liquid expression names, or nil.
    static func variable(_ expression: String) -> String? {
        let e = expression.trimmingCharacters(in: .whitespaces)
        if e.contains("|") || e.contains(" ") || e.isEmpty { return nil }
        let parts = e.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "trigger" where parts.count == 3 && parts[1] == "call":
            return ["From": "caller", "To": "called"][parts[2]]
        case "contact" where e == "contact.channel.address":
            return "caller"
        case "flow" where parts.count == 3 && parts[1] == "variables":
            return variableName(parts[2])
        case "widgets" where parts.count == 3 && parts[2] == "Digits":
            return digitsVariable(parts[1])
        case "widgets" where parts.count >= 4 && parts[2] == "parsed":
            let fields = parts[3...].map(variableName)
            return ([variableName(parts[1])] + fields).joined(separator: ".")
        default:
            return nil
        }
    }

    /// The variable holding the digits a gather widget collected.
    static func digitsVariable(_ widget: String) -> String { variableName(widget) + "_digits" }

    /// Letters, digits and `_`, not starting with a digit.
    static func variableName(_ raw: String) -> String {
        var out = String(raw.unicodeScalars.map { u -> Character in
            (u.properties.isAlphabetic && u.isASCII) || ("0"..."9").contains(u) ? Character(u) : "_"
        })
        if out.isEmpty || out.first?.isASCIIDigit == true { out = "v_" + out }
        return out
    }

    /// Text with each `{{ ... }}` that names a variable as `${...}`; the
    /// others are kept as `[...]` with a warning.
    static func text(_ raw: String, what: String, line: Int, into draft: inout FlowDraft) -> String {
        var out = ""
        var rest = Substring(raw)
        if rest.contains("{%") {
            draft.warn(line, "\(what) uses Liquid tags ({% ... %}), which ivrc does not run; the text is kept as written")
        }
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                out += rest[open.lowerBound...]
                rest = ""
                break
            }
            let expression = String(rest[open.upperBound..<close.lowerBound])
            if let v = variable(expression) {
                out += "${" + v + "}"
            } else {
                let shown = expression.trimmingCharacters(in: .whitespaces)
                draft.warn(line, "\(what): the Liquid template '{{\(shown)}}' has no ivrc equivalent; it is kept as '[\(shown)]'")
                out += "[" + shown + "]"
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}
