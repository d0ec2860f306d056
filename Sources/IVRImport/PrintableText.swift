/// Source text shown where control characters must not go: YAML comments,
/// and the messages printed to a terminal.
enum PrintableText {
    /// Control characters as `\n`, `\t`, `\xNN` (the rest unchanged).
    static func escaped(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where isControl(u): out += "\\x" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// C0 and C1 controls, DEL, and the line and paragraph separators YAML and terminals treat as breaks.
    static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 || u.value == 0xFEFF
    }
}
