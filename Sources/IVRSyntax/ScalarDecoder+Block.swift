/// Literal (`|`) and folded (`>`) block scalars, as libyaml's
/// `yaml_parser_scan_block_scalar` reads them: a header with optional
/// chomping (`-` strip, `+` keep) and indentation (1-9) indicators, then
/// lines at the block's indentation. The indentation is the deepest of the
/// leading empty lines and the first content line unless given; a given one
/// is relative to the parent's indentation, which the source alone does not
/// tell, so each plausible value is tried until one decodes to the value.
extension ScalarDecoder {
    /// At most this many indentations are tried for a block with an indentation indicator.
    static let maxIndentTries = 64

    mutating func block(_ expected: [Unicode.Scalar]) -> Bool {
        let literal = bytes[i] == UInt8(ascii: "|")
        i += 1
        var chomping = 0, increment = 0
        for _ in 0..<2 where i < end {
            switch bytes[i] {
            case UInt8(ascii: "+") where chomping == 0: chomping = 1
            case UInt8(ascii: "-") where chomping == 0: chomping = -1
            case UInt8(ascii: "1")...UInt8(ascii: "9") where increment == 0: increment = Int(bytes[i] - 0x30)
            default: continue
            }
            i += 1
        }
        while isBlank(i) { i += 1 }
        if i < end, bytes[i] == UInt8(ascii: "#") {
            while i < end, breakWidth(i) == nil { i += 1 }
        }
        if let w = breakWidth(i) {
            i += w
        } else if i < end {
            return false
        }
        let body = i
        contentStart = body
        guard increment > 0 else { return blockBody(literal: literal, chomping: chomping, indent: 0) }
        // The parent's indentation is unknown: try from the indicator up to the first content line's.
        var spaces = 0
        var k = body
        while k < end {
            let lineStart = k
            while k < end, bytes[k] == 0x20 { k += 1 }
            guard let w = breakWidth(k) else { spaces = k - lineStart; break }
            k += w
        }
        for indent in increment...max(increment, min(spaces, increment + Self.maxIndentTries)) {
            i = body
            scalars.removeAll(keepingCapacity: true)
            spans.removeAll(keepingCapacity: true)
            if blockBody(literal: literal, chomping: chomping, indent: indent), scalars == expected { return true }
        }
        return false
    }

    /// The lines of a block from `i` (the line after the header); `indent`
    /// 0 means detect it.
    private mutating func blockBody(literal: Bool, chomping: Int, indent given: Int) -> Bool {
        var indent = given
        var lineStart = i
        var trailing: [(Int, Int)] = []
        var leadingBreak: (Int, Int)?
        var leadingBlank = false
        guard blockBreaks(&indent, &trailing, &lineStart) else { return false }
        while i < end, i - lineStart == indent {
            let trailingBlank = isBlank(i)
            if !literal, let b = leadingBreak, !leadingBlank, !trailingBlank {
                if trailing.isEmpty { emit(" ", b.0, b.1) }
            } else if let b = leadingBreak {
                emit("\n", b.0, b.1)
            }
            leadingBreak = nil
            for b in trailing { emit("\n", b.0, b.1) }
            trailing.removeAll()
            leadingBlank = isBlank(i)
            while i < end, breakWidth(i) == nil {
                guard copy() else { return false }
            }
            if let w = breakWidth(i) {
                leadingBreak = (i, i + w)
                i += w
                lineStart = i
            }
            guard blockBreaks(&indent, &trailing, &lineStart) else { return false }
        }
        if chomping != -1, let b = leadingBreak { emit("\n", b.0, b.1) }
        if chomping == 1 {
            for b in trailing { emit("\n", b.0, b.1) }
        }
        return true
    }

    /// The indentation and empty lines before a content line (libyaml's
    /// `yaml_parser_scan_block_scalar_breaks`); sets `indent` when it is 0.
    private mutating func blockBreaks(_ indent: inout Int, _ breaks: inout [(Int, Int)], _ lineStart: inout Int) -> Bool {
        var deepest = 0
        while true {
            while i < end, indent == 0 || i - lineStart < indent, bytes[i] == 0x20 { i += 1 }
            deepest = max(deepest, i - lineStart)
            if i < end, indent == 0 || i - lineStart < indent, bytes[i] == 0x09 { return false }
            guard let w = breakWidth(i) else { break }
            breaks.append((i, i + w))
            i += w
            lineStart = i
        }
        if indent == 0 { indent = max(deepest, 1) }
        return true
    }
}
