/// A place in an XML text being read, as UTF-8 bytes, with the line and
/// column (1-based; columns count characters) it is at: the scanning
/// primitives `XMLElementTree` reads a document with.
struct XMLCursor {
    let bytes: [UInt8]
    private(set) var offset = 0
    private(set) var line = 1
    private(set) var column = 1

    /// A position kept to report an error where a construct began.
    struct Mark {
        var line: Int
        var column: Int
    }

    init(_ text: String) {
        bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
    }

    var atEnd: Bool { offset >= bytes.count }
    var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }
    var mark: Mark { Mark(line: line, column: column) }

    /// Whether the bytes at the cursor spell `literal` (ASCII).
    func looksAt(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - offset >= count else { return false }
        return literal.withUTF8Buffer { expected in
            expected.indices.allSatisfy { bytes[offset + $0] == expected[$0] }
        }
    }

    mutating func advance() {
        guard offset < bytes.count else { return }
        let byte = bytes[offset]
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
        offset += 1
        // A character's continuation bytes belong to its column.
        while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
    }

    mutating func advance(by count: Int) {
        let end = min(offset + count, bytes.count)
        while offset < end { advance() }
    }

    /// Moves past `literal` when it is at the cursor.
    mutating func skip(_ literal: StaticString) -> Bool {
        guard looksAt(literal) else { return false }
        advance(by: literal.utf8CodeUnitCount)
        return true
    }

    /// Moves past white space; whether there was any.
    @discardableResult
    mutating func skipSpaces() -> Bool {
        let start = offset
        while let byte = current, Self.isSpace(byte) { advance() }
        return offset > start
    }

    /// Moves past `terminator`; fails with `unterminated` at the end of the text.
    mutating func skip(past terminator: StaticString, unterminated: String) throws(ImportError) {
        while !skip(terminator) {
            if atEnd { throw error(unterminated) }
            advance()
        }
    }

    /// An XML name (approximately: ASCII letters, digits, `_ : . -`, and any non-ASCII character).
    mutating func readName() throws(ImportError) -> String {
        guard let first = current, Self.startsName(first) else { throw error("a name is expected") }
        let start = offset
        while let byte = current, Self.startsName(byte) || Self.continuesName(byte) { advance() }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    /// A `"..."` or `'...'` literal's bytes, without its quotes.
    mutating func readQuoted() throws(ImportError) -> ArraySlice<UInt8> {
        guard let quote = current, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw error("a quoted value is expected")
        }
        advance()
        let start = offset
        while current != quote {
            if atEnd { throw error("the document ends inside a quoted value") }
            advance()
        }
        let value = bytes[start..<offset]
        advance()
        return value
    }

    /// A well-formedness error at the cursor (or at `mark`).
    func error(_ detail: String, at mark: Mark? = nil) -> ImportError {
        let at = mark ?? self.mark
        return ImportError(line: at.line, column: at.column, "the file is not well-formed XML: " + detail)
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func startsName(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80
    }

    static func continuesName(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
