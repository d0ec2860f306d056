/// A string with `${name}` references (section 5.2). Names may have dots
/// (`customer.tier`, a field of a webhook result).
public struct InterpolatedString: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        /// A variable reference; `offset` is the index of `$` in the text,
        /// counted in Unicode scalars.
        case variable(String, offset: Int)
    }

    public var raw: String
    public var parts: [Part]

    /// Parses `${...}` references. A `$` not followed by `{` is text; an
    /// unclosed `${` is reported through `error`.
    public init(parsing raw: String) {
        self.raw = raw
        if !raw.utf8.contains(UInt8(ascii: "$")) {
            self.parts = raw.isEmpty ? [] : [.text(raw)]
            self.error = nil
            return
        }
        var parts: [Part] = []
        var text = ""
        let scalars = Array(raw.unicodeScalars)
        var i = 0
        var error: String?
        while i < scalars.count {
            if scalars[i] == "$", i + 1 < scalars.count, scalars[i + 1] == "{" {
                var j = i + 2
                var name = ""
                while j < scalars.count, scalars[j] != "}" {
                    name.unicodeScalars.append(scalars[j])
                    j += 1
                }
                if j == scalars.count {
                    error = "unclosed '${' in \"\(raw)\""
                    text.unicodeScalars.append(contentsOf: scalars[i...])
                    break
                }
                if !text.isEmpty { parts.append(.text(text)); text = "" }
                parts.append(.variable(name.trimmingSpaces, offset: i))
                i = j + 1
            } else {
                text.unicodeScalars.append(scalars[i])
                i += 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
        self.error = error
    }

    /// Why the string is malformed, if it is.
    public var error: String?

    public var variables: [String] {
        parts.compactMap { if case .variable(let n, _) = $0 { n } else { nil } }
    }

    public var isConstant: Bool { variables.isEmpty }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
