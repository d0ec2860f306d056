/// Decodes a scalar's source text the way libyaml's scanner does, and notes
/// for every character of the value the bytes of source it came from (for
/// `ScalarSourceMap`). The style is read from the source itself (after any
/// `&anchor` and `!tag`): `"` double-quoted, `'` single-quoted, `|`
/// literal, `>` folded, anything else plain.
///
/// The rules follow libyaml (`yaml_parser_scan_plain_scalar`,
/// `_scan_flow_scalar`, `_scan_block_scalar`): blanks inside a line are kept,
/// a single line break folds to a space and further ones stay line feeds,
/// blanks around breaks are dropped, `''` and the backslash escapes of
/// double quotes (an escaped break joins the lines), block indentation
/// (given or detected) and chomping. The result counts only if it equals
/// the value libyaml gave: anything else (an unknown escape, a line
/// break other than LF or CRLF) makes `decode` return nil.
struct ScalarDecoder {
    /// The whole file.
    let bytes: [UInt8]
    /// Where the scalar's source ends (its range's end offset).
    let end: Int
    var i: Int
    var scalars: [Unicode.Scalar] = []
    /// Start and end byte offset of each decoded scalar, in turn.
    var spans: [Int] = []
    /// Where the value's first character would be (after quotes or a block header).
    var contentStart: Int

    private init(bytes: [UInt8], start: Int, end: Int) {
        self.bytes = bytes
        self.end = end
        self.i = start
        self.contentStart = start
    }

    /// The start and end offset of each scalar of `value`, then the offset
    /// where the value ends; nil when the source does not decode to `value`.
    static func decode(value: String, bytes: [UInt8], start: Int, end: Int) -> [Int]? {
        var d = ScalarDecoder(bytes: bytes, start: start, end: min(end, bytes.count))
        d.skipProperties()
        let expected = Array(value.unicodeScalars)
        let ok: Bool
        switch d.i < d.end ? d.bytes[d.i] : 0 {
        case UInt8(ascii: "\""): ok = d.quoted(double: true)
        case UInt8(ascii: "'"): ok = d.quoted(double: false)
        case UInt8(ascii: "|"), UInt8(ascii: ">"): ok = d.block(expected)
        default: ok = d.plain()
        }
        guard ok, d.scalars == expected else { return nil }
        return d.spans + [d.spans.last ?? d.contentStart]
    }

    // MARK: Bytes

    func isBlank(_ k: Int) -> Bool { k < end && (bytes[k] == 0x20 || bytes[k] == 0x09) }

    /// The width of the line break at `k` (LF, CRLF, a lone CR), nil if none.
    func breakWidth(_ k: Int) -> Int? {
        guard k < end else { return nil }
        if bytes[k] == 0x0A { return 1 }
        if bytes[k] == 0x0D { return k + 1 < bytes.count && bytes[k + 1] == 0x0A ? 2 : 1 }
        return nil
    }

    /// The UTF-8 scalar at `k` and its width.
    private func scalar(at k: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[k]
        let width = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        guard width > 0, k + width <= bytes.count else { return nil }
        var value = UInt32(width == 1 ? lead : lead & (0xFF >> (width + 1)))
        for j in 1..<width {
            let b = bytes[k + j]
            guard b & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b & 0x3F)
        }
        return Unicode.Scalar(value).map { ($0, width) }
    }

    mutating func emit(_ s: Unicode.Scalar, _ from: Int, _ to: Int) {
        scalars.append(s)
        spans.append(from)
        spans.append(to)
    }

    /// Copies the source scalar at `i` into the value.
    mutating func copy() -> Bool {
        guard let (s, width) = scalar(at: i) else { return false }
        emit(s, i, i + width)
        i += width
        return true
    }

    /// `&anchor` and `!tag` before the content, and the blanks, breaks and comments after them.
    private mutating func skipProperties() {
        while i < end, bytes[i] == UInt8(ascii: "&") || bytes[i] == UInt8(ascii: "!") {
            if bytes[i] == UInt8(ascii: "!"), i + 1 < end, bytes[i + 1] == UInt8(ascii: "<") {
                while i < end, bytes[i] != UInt8(ascii: ">") { i += 1 }
                i += 1
            } else {
                while i < end, !isBlank(i), breakWidth(i) == nil { i += 1 }
            }
            while i < end {
                if isBlank(i) {
                    i += 1
                } else if let w = breakWidth(i) {
                    i += w
                } else if bytes[i] == UInt8(ascii: "#") {
                    while i < end, breakWidth(i) == nil { i += 1 }
                } else {
                    break
                }
            }
        }
        contentStart = min(i, end)
    }

    /// One break folds to a space; of several, all but the first stay line feeds.
    private mutating func fold(_ breaks: [(Int, Int)]) {
        if breaks.count == 1 {
            emit(" ", breaks[0].0, breaks[0].1)
        } else {
            for b in breaks.dropFirst() { emit("\n", b.0, b.1) }
        }
    }

    // MARK: Styles

    private mutating func plain() -> Bool {
        var blanks: [Int] = [], breaks: [(Int, Int)] = []
        var started = false
        while i < end {
            if isBlank(i) {
                if breaks.isEmpty { blanks.append(i) }
                i += 1
            } else if let w = breakWidth(i) {
                breaks.append((i, i + w))
                blanks.removeAll()
                i += w
            } else {
                if started {
                    if breaks.isEmpty {
                        for p in blanks { emit(Unicode.Scalar(bytes[p]), p, p + 1) }
                    } else {
                        fold(breaks)
                    }
                }
                blanks.removeAll()
                breaks.removeAll()
                guard copy() else { return false }
                started = true
            }
        }
        return true
    }

    private mutating func quoted(double: Bool) -> Bool {
        let quote = bytes[i]
        i += 1
        contentStart = i
        while true {
            var leadingBlanks = false
            while i < end, !isBlank(i), breakWidth(i) == nil {
                let b = bytes[i]
                if !double, b == quote, i + 1 < end, bytes[i + 1] == quote {
                    emit("'", i, i + 2)
                    i += 2
                } else if b == quote {
                    break
                } else if double, b == UInt8(ascii: "\\"), let w = breakWidth(i + 1) {
                    i += 1 + w
                    leadingBlanks = true
                    break
                } else if double, b == UInt8(ascii: "\\") {
                    guard escape() else { return false }
                } else {
                    guard copy() else { return false }
                }
            }
            guard i < end else { return false }
            if bytes[i] == quote { return true }
            var blanks: [Int] = [], leadingBreak: (Int, Int)?, trailing: [(Int, Int)] = []
            while i < end {
                if isBlank(i) {
                    if !leadingBlanks { blanks.append(i) }
                    i += 1
                } else if let w = breakWidth(i) {
                    if leadingBlanks {
                        trailing.append((i, i + w))
                    } else {
                        blanks.removeAll()
                        leadingBreak = (i, i + w)
                        leadingBlanks = true
                    }
                    i += w
                } else {
                    break
                }
            }
            if leadingBlanks {
                if let b = leadingBreak, trailing.isEmpty { emit(" ", b.0, b.1) }
                for b in trailing { emit("\n", b.0, b.1) }
            } else {
                for p in blanks { emit(Unicode.Scalar(bytes[p]), p, p + 1) }
            }
        }
    }

    /// A backslash escape of a double-quoted scalar, at `i`.
    private mutating func escape() -> Bool {
        let start = i
        guard i + 1 < end else { return false }
        var value: UInt32 = 0
        var digits = 0
        switch bytes[i + 1] {
        case UInt8(ascii: "0"): value = 0
        case UInt8(ascii: "a"): value = 7
        case UInt8(ascii: "b"): value = 8
        case UInt8(ascii: "t"), 0x09: value = 9
        case UInt8(ascii: "n"): value = 10
        case UInt8(ascii: "v"): value = 11
        case UInt8(ascii: "f"): value = 12
        case UInt8(ascii: "r"): value = 13
        case UInt8(ascii: "e"): value = 0x1B
        case UInt8(ascii: " "), UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "'"), UInt8(ascii: "\\"):
            value = UInt32(bytes[i + 1])
        case UInt8(ascii: "N"): value = 0x85
        case UInt8(ascii: "_"): value = 0xA0
        case UInt8(ascii: "L"): value = 0x2028
        case UInt8(ascii: "P"): value = 0x2029
        case UInt8(ascii: "x"): digits = 2
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        default: return false
        }
        i += 2
        if digits > 0 {
            guard i + digits <= end else { return false }
            for _ in 0..<digits {
                guard let h = Self.hexValue(bytes[i]) else { return false }
                value = value << 4 | h
                i += 1
            }
        }
        guard let s = Unicode.Scalar(value) else { return false }
        emit(s, start, i)
        return true
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: UInt32(b - 0x30)
        case 0x41...0x46: UInt32(b - 0x41 + 10)
        case 0x61...0x66: UInt32(b - 0x61 + 10)
        default: nil
        }
    }
}
