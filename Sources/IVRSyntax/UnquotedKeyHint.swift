/// The hint an E001 carries when the lines libyaml complains about hold an
/// unquoted `*` or `#` where a node begins (flow-language.md section 2: keys
/// `*` and `#` must be quoted). libyaml reads such a `*` as an alias (`*:` is
/// an alias with no name) and such a `#` as a comment (even right after `{`,
/// `[` or `,`), so `{*: hangup}`, `[*, "#"]`, `*: repeat` and `{#: hangup}`
/// fail in ways whose messages do not say why.
///
/// Each line is scanned with a small state machine that knows where a node
/// may begin (line start, after `- `, `? `, `: `, `{`, `[`, `,`) and skips
/// quoted and plain scalars, so that `say: "Press *"` and `Press * now`
/// are not mistaken for keys.
enum UnquotedKeyHint {
    static let star = "keys '*' and '#' must be quoted in YAML: write \"*\": ... or use the alias star (or hash / pound for '#')"
    static let hash = "keys '*' and '#' must be quoted in YAML: write \"#\": ... or use the alias hash or pound"
        + " (an unquoted '#' where a key or item begins starts a comment)"

    /// Lines scanned between where libyaml's context and its problem are.
    static let maxLines = 50

    /// What an unquoted `*` or `#` at a node's start is written as.
    enum Found { case star, hash }

    /// The hint for the lines (in file order) when one has an unquoted `*`
    /// or `#` where a node begins (a `#` only when a `:`, `,`, `]` or `}`
    /// follows it, as after a key or an item). Quotes and flow brackets
    /// carry over from line to line.
    static func hint(for lines: [some Collection<UInt8>]) -> String? {
        var scanner = Scanner()
        for line in lines {
            switch scanner.find(in: Array(line)) {
            case .star: return star
            case .hash: return hash
            case nil: continue
            }
        }
        return nil
    }

    /// What one line of text holds, for tests and single lines.
    static func find(in line: [UInt8]) -> Found? {
        var scanner = Scanner()
        return scanner.find(in: line)
    }

    private enum State { case nodeStart, plain, quoted(UInt8), afterNode }

    /// Reads lines one after another. `depth` counts open flow brackets (it
    /// goes below zero when the lines begin inside a collection opened before them).
    private struct Scanner {
        var state = State.nodeStart
        var depth = 0

        /// The first unquoted `*` or `#` at a node's start in the next line.
        mutating func find(in line: [UInt8]) -> Found? {
            if case .quoted = state {} else { state = .nodeStart }
            var i = 0
            func at(_ k: Int) -> UInt8 { k < line.count ? line[k] : 0x0A }
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
            func isNameByte(_ b: UInt8) -> Bool {
                (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F || b >= 0x80
            }
            while i < line.count {
                let c = line[i]
                switch state {
                case .nodeStart:
                    let indicator = c == UInt8(ascii: "-") || c == UInt8(ascii: "?") || c == UInt8(ascii: ":")
                    switch c {
                    case 0x20, 0x09: break
                    case _ where indicator && isSpace(at(i + 1)): break // `- `, `? `, `: `: a node follows
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: ","): break
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        state = .afterNode
                    case UInt8(ascii: "\""), UInt8(ascii: "'"): state = .quoted(c)
                    case UInt8(ascii: "*"):
                        if !isNameByte(at(i + 1)) { return .star }
                        state = .afterNode // an alias
                        while isNameByte(at(i + 1)) { i += 1 }
                    case UInt8(ascii: "#"):
                        var k = i + 1
                        while at(k) == 0x20 || at(k) == 0x09 { k += 1 }
                        let next = at(k)
                        if next == UInt8(ascii: ":") || (depth != 0 && (next == UInt8(ascii: ",") || next == UInt8(ascii: "]")
                            || next == UInt8(ascii: "}"))) { return .hash }
                        return nil // a comment
                    case UInt8(ascii: "&"), UInt8(ascii: "!"):
                        while i + 1 < line.count, !isSpace(at(i + 1)) { i += 1 } // a property; the node follows
                    default: state = .plain
                    }
                case .plain, .afterNode:
                    let inFlow = depth != 0
                    if c == UInt8(ascii: ":"), isSpace(at(i + 1)) || (inFlow && ",[]{}".utf8.contains(at(i + 1))) {
                        state = .nodeStart
                    } else if c == UInt8(ascii: "#"), i > 0, isSpace(line[i - 1]) {
                        return nil // a comment
                    } else if inFlow, c == UInt8(ascii: ",") {
                        state = .nodeStart
                    } else if inFlow, c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                        depth -= 1
                        state = .afterNode
                    }
                case .quoted(let quote):
                    if quote == UInt8(ascii: "\""), c == UInt8(ascii: "\\") {
                        i += 1
                    } else if c == quote {
                        if quote == UInt8(ascii: "'"), at(i + 1) == quote { i += 1 } else { state = .afterNode }
                    }
                }
                i += 1
            }
            return nil
        }
    }
}
