/// A small JSON reader (RFC 8259) that keeps each value's line and column;
/// malformed text is an `ImportError` at the offending character. Nesting
/// is limited so hostile input cannot exhaust the stack.
struct PositionedJSONReader {
    static let maxDepth = 256

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    static func parse(_ text: String) throws(ImportError) -> PositionedJSON {
        var reader = PositionedJSONReader(text)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        if reader.index < reader.bytes.count { throw reader.error("unexpected text after the JSON value") }
        return value
    }

    private var column: Int { index - lineStart + 1 }

    private func error(_ message: String) -> ImportError {
        ImportError(line: line, column: column, "not valid JSON: " + message)
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A: index += 1; line += 1; lineStart = index
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(ImportError) -> PositionedJSON {
        guard depth < Self.maxDepth else { throw error("nested more than \(Self.maxDepth) levels") }
        guard index < bytes.count else { throw error("the text ends where a value was expected") }
        let (l, c) = (line, column)
        func at(_ v: PositionedJSON.Value) -> PositionedJSON { PositionedJSON(value: v, line: l, column: c) }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var pairs: [(key: String, value: PositionedJSON)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return at(.object(pairs)) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try string()
                skipSpace()
                try expect(":", "expected ':' after a key")
                skipSpace()
                pairs.append((key, try value(depth: depth + 1)))
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect("}", "expected ',' or '}' in an object")
                return at(.object(pairs))
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [PositionedJSON] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return at(.array(items)) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect("]", "expected ',' or ']' in a list")
                return at(.array(items))
            }
        case UInt8(ascii: "\""):
            return at(.string(try string()))
        case UInt8(ascii: "t"):
            try word("true"); return at(.bool(true))
        case UInt8(ascii: "f"):
            try word("false"); return at(.bool(false))
        case UInt8(ascii: "n"):
            try word("null"); return at(.null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return at(.number(try number()))
        default:
            throw error("unexpected character '\(Self.printable(bytes[index]))'")
        }
    }

    private mutating func expect(_ c: Character, _ message: String) throws(ImportError) {
        guard index < bytes.count, bytes[index] == c.asciiValue else { throw error(message) }
        index += 1
    }

    private mutating func word(_ w: String) throws(ImportError) {
        let u = Array(w.utf8)
        guard index + u.count <= bytes.count, Array(bytes[index..<index + u.count]) == u else {
            throw error("unexpected word (expected \(w))")
        }
        index += u.count
    }

    private mutating func number() throws(ImportError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        var digits = 0
        while index < bytes.count, let b = Optional(bytes[index]),
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e")
                || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { digits += 1 }
            index += 1
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard digits > 0, Double(text) != nil else { index = start; throw error("malformed number '\(text)'") }
        return text
    }

    private mutating func string() throws(ImportError) -> String {
        index += 1  // the opening quote
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else { throw error("a string is not closed") }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("a string is not closed") }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar), index + 1 < bytes.count,
                       bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        scalar = (0xDC00...0xDFFF).contains(low) ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
                default:
                    index -= 1
                    throw error("unknown escape '\\\(Self.printable(e))' in a string")
                }
            case 0x0A:
                throw error("a string is not closed before the end of the line")
            default:
                out.append(b)
                index += 1
            }
        }
    }

    private mutating func hex4() throws(ImportError) -> UInt32 {
        guard index + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
            throw error("'\\u' needs four hex digits")
        }
        index += 4
        return v
    }

    private static func printable(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
    }
}
