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
    /// The parts of a string with a `$` in it; a string without one is all
    /// text (`parts` is `[.text(raw)]`) and stores no array.
    private var storedParts: [Part]
    private var isPlainText: Bool

    /// The text and variable parts, in order.
    public var parts: [Part] {
        get { isPlainText ? (raw.isEmpty ? [] : [.text(raw)]) : storedParts }
        set {
            storedParts = newValue
            isPlainText = false
        }
    }

    /// Parses `${...}` references. A `$` not followed by `{` is text; an
    /// unclosed `${` is reported through `error`.
    public init(parsing raw: String) {
        self.raw = raw
        var copy = raw
        let hasDollar = copy.withUTF8 { bytes in bytes.contains(UInt8(ascii: "$")) }
        if !hasDollar {
            self.storedParts = []
            self.isPlainText = true
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
        self.storedParts = parts
        self.isPlainText = false
        self.error = error
    }

    /// Why the string is malformed, if it is.
    public var error: String?

    public var variables: [String] {
        if isPlainText { return [] }
        return storedParts.compactMap { if case .variable(let n, _) = $0 { n } else { nil } }
    }

    public var isConstant: Bool {
        isPlainText || !storedParts.contains { if case .variable = $0 { true } else { false } }
    }
}

extension InterpolatedString {
    /// The Unicode scalars of `raw` that the reference whose `$` is at
    /// `offset` covers: from `$` to the closing `}` (to the end when unclosed).
    public func referenceSpan(at offset: Int) -> Range<Int> {
        Self.referenceSpan(in: raw, at: offset)
    }

    /// `referenceSpan(at:)` in the text of an interpolated string.
    public static func referenceSpan(in raw: String, at offset: Int) -> Range<Int> {
        var end = offset
        for scalar in raw.unicodeScalars.dropFirst(offset) {
            end += 1
            if scalar == "}" { break }
        }
        return offset..<end
    }

    /// Where the `${` that `error` reports as unclosed begins.
    public var unclosedOffset: Int? {
        guard error != nil else { return nil }
        let scalars = Array(raw.unicodeScalars)
        var i = 0
        while i + 1 < scalars.count {
            if scalars[i] == "$", scalars[i + 1] == "{" {
                guard let close = scalars[(i + 2)...].firstIndex(of: "}") else { return i }
                i = close + 1
            } else {
                i += 1
            }
        }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

extension InterpolatedString {
    /// Equal when the text, the parts and the error are (however the parts are stored).
    public static func == (a: InterpolatedString, b: InterpolatedString) -> Bool {
        a.raw == b.raw && a.error == b.error && a.parts == b.parts
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(raw)
        hasher.combine(parts)
        hasher.combine(error)
    }
}
