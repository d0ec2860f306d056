/// Writes `YAMLValue`s as a person would: block style, short mappings and
/// lists in flow style (`{transfer: {extension: "100"}}`), comments above
/// what they explain, scalars plain unless they need quotes.
enum YAMLText {
    /// Flow style is used when the value fits in this many columns.
    static let flowWidth = 88

    /// The lines of a top-level mapping.
    static func document(_ entries: [YAMLEntry]) -> String {
        var out = ""
        write(entries, indent: 0, into: &out)
        return out
    }

    static func write(_ entries: [YAMLEntry], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for entry in entries {
            for c in entry.comments { out += pad + "#" + (c.isEmpty ? "" : " " + PrintableText.escaped(c)) + "\n" }
            let head = pad + key(entry.key) + ":"
            writeValue(entry.value, head: head, indent: indent, into: &out)
        }
    }

    /// `head` (a key and colon, or a dash) followed by the value, inline or as a block below it.
    static func writeValue(_ value: YAMLValue, head: String, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .scalar, .quoted, .plain:
            out += head + " " + flow(value) + "\n"
        case .mapping(let entries):
            if entries.isEmpty { out += head + " {}\n"; return }
            if !value.hasComments, head.count + 1 + flow(value).count <= flowWidth, isShort(value) {
                out += head + " " + flow(value) + "\n"
            } else {
                out += head + "\n"
                write(entries, indent: indent + 2, into: &out)
            }
        case .sequence(let items):
            if items.isEmpty { out += head + " []\n"; return }
            out += head + "\n"
            for item in items {
                for c in item.comments { out += pad + "  #" + (c.isEmpty ? "" : " " + PrintableText.escaped(c)) + "\n" }
                writeItem(item.value, indent: indent + 2, into: &out)
            }
        }
    }

    /// `- value` at `indent`; a mapping's first entry shares the dash's line.
    static func writeItem(_ value: YAMLValue, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .mapping(var entries) where !entries.isEmpty:
            if !value.hasComments, indent + 2 + flow(value).count <= flowWidth, entries.count > 1, isShort(value) {
                out += pad + "- " + flow(value) + "\n"
                return
            }
            // The first entry's comments go above the dash.
            for c in entries[0].comments { out += pad + "#" + (c.isEmpty ? "" : " " + PrintableText.escaped(c)) + "\n" }
            entries[0].comments = []
            var block = ""
            write(entries, indent: indent + 2, into: &block)
            // The first line's indentation becomes the dash.
            let start = block.index(block.startIndex, offsetBy: indent)
            let dashIndex = block.index(start, offsetBy: 0)
            block.replaceSubrange(dashIndex..<block.index(dashIndex, offsetBy: 2), with: "- ")
            out += block
        default:
            writeValue(value, head: pad + "-", indent: indent, into: &out)
        }
    }

    /// Mappings nested no deeper than two levels read well on one line.
    static func isShort(_ value: YAMLValue, depth: Int = 0) -> Bool {
        switch value {
        case .scalar, .quoted, .plain: true
        case .mapping(let entries): depth < 2 && entries.allSatisfy { isShort($0.value, depth: depth + 1) }
        case .sequence(let items): depth < 2 && items.allSatisfy { isShort($0.value, depth: depth + 1) }
        }
    }

    /// The value in flow style.
    static func flow(_ value: YAMLValue) -> String {
        switch value {
        case .scalar(let s): scalar(s)
        case .quoted(let s): quote(s)
        case .plain(let s): s
        case .mapping(let entries): "{" + entries.map { key($0.key) + ": " + flow($0.value) }.joined(separator: ", ") + "}"
        case .sequence(let items): "[" + items.map { flow($0.value) }.joined(separator: ", ") + "]"
        }
    }

    static func key(_ s: String) -> String { scalar(s) }

    /// Plain when it is safe in both block and flow context, else double-quoted.
    static func scalar(_ s: String) -> String {
        isPlainSafe(s) ? s : quote(s)
    }

    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]

    static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        guard first.properties.isAlphabetic || first == "/" || isDuration(s) else { return false }
        guard last != " ", !reserved.contains(s.lowercased()) else { return false }
        let allowed = Set(" _.-/'?!()@+=$".unicodeScalars)
        return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || allowed.contains($0) }
    }

    /// `5s`, `1500ms`, `1m30s`: digits and unit letters, ending in a unit.
    static func isDuration(_ s: String) -> Bool {
        guard let last = s.last, "smh".contains(last) else { return false }
        return s.allSatisfy { $0.isASCIIDigit || "smh.".contains($0) }
    }

    /// A double-quoted scalar with `\`, `"` and control characters escaped.
    static func quote(_ s: String) -> String {
        // 'lookup.tier == "gold"' reads better than escaped double quotes.
        if s.contains("\""), !s.contains("'"), !s.unicodeScalars.contains(where: PrintableText.isControl) {
            return "'" + s + "'"
        }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += "\\x" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16)
                } else if PrintableText.isControl(u) {
                    out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
