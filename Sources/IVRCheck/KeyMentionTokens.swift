import IVRSyntax

/// Splits prompt text into the tokens `KeyMentions` reads, each reduced to
/// one byte: a key (its `KeySet` bit), a trigger ("press", "dial", "push"),
/// a filler ("the", "key", "button"), a separator (",", "or", "and"),
/// "for", or anything else.
///
/// Words are runs of letters, digits, hyphens and apostrophes ("4-digit"
/// and "1-800" are not keys); `*`, `#` and `,` are tokens of their own;
/// `.`, `;`, `:`, `!` and `?` end a sentence (a token that is no key).
/// Case does not matter.
enum KeyMentionTokens {
    static let keyCount: UInt8 = 12
    static let trigger: UInt8 = 12, filler: UInt8 = 13, separator: UInt8 = 14, `for`: UInt8 = 15, other: UInt8 = 16

    static func classify(_ text: String, into tokens: inout [UInt8]) {
        let ascii = text.utf8.withContiguousStorageIfAvailable { scan($0, into: &tokens) }
            ?? Array(text.utf8).withUnsafeBufferPointer { scan($0, into: &tokens) }
        if ascii { return }
        tokens.removeAll(keepingCapacity: true)
        for word in unicodeTokens(text.lowercased()) { tokens.append(code(of: word)) }
    }

    /// The ASCII path, on bytes; false (tokens unfinished) at the first non-ASCII byte.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, into tokens: inout [UInt8]) -> Bool {
        var word: UInt64 = 0
        var length = 0
        for b in bytes {
            if b >= 0x80 { return false }
            let lower = b >= 65 && b <= 90 ? b | 0x20 : b
            if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) || lower == 39 || lower == 45 {
                if length < 8 { word |= UInt64(lower) << UInt64(8 * length) }
                length += 1
                continue
            }
            if length > 0 {
                tokens.append(code(packed: word, length: length))
                word = 0
                length = 0
            }
            switch b {
            case 42: tokens.append(10) // *
            case 35: tokens.append(11) // #
            case 44: tokens.append(separator) // ,
            case 46, 59, 58, 33, 63: tokens.append(other) // . ; : ! ?
            default: break
            }
        }
        if length > 0 { tokens.append(code(packed: word, length: length)) }
        return true
    }

    /// The words that mean something, packed as in `scan` (up to 8 lowercase bytes, first byte lowest).
    private static let table: [(word: UInt64, code: UInt8)] = [
        ("zero", 0), ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7),
        ("eight", 8), ("nine", 9), ("star", 10), ("asterisk", 10), ("pound", 11), ("hash", 11),
        ("press", trigger), ("dial", trigger), ("push", trigger), ("the", filler), ("key", filler),
        ("button", filler), ("or", separator), ("and", separator), ("for", `for`),
    ].map { (pack($0.0), $0.1) }

    private static func pack(_ word: String) -> UInt64 {
        var packed: UInt64 = 0
        for (i, b) in word.utf8.prefix(8).enumerated() { packed |= UInt64(b) << UInt64(8 * i) }
        return packed
    }

    private static func code(packed: UInt64, length: Int) -> UInt8 {
        if length == 1, packed >= 48, packed <= 57 { return UInt8(packed - 48) }
        guard length <= 8 else { return other }
        for entry in table where entry.word == packed { return entry.code }
        return other
    }

    private static func code(of word: String) -> UInt8 {
        if word.count == 1, let c = word.first, c.isASCII, c.isNumber, let key = DTMFKey(rawValue: c) {
            return UInt8(KeySet.bit(key))
        }
        if word == "*" { return 10 }
        if word == "#" { return 11 }
        if word == "," { return separator }
        guard word.utf8.count <= 8 else { return other }
        return code(packed: pack(word), length: 2)
    }

    /// The tokens of text with non-ASCII characters, by `Character`.
    private static func unicodeTokens(_ text: String) -> [String] {
        var out: [String] = []
        var word = ""
        for c in text {
            if c.isLetter || c.isNumber || c == "'" || c == "-" {
                word.append(c)
                continue
            }
            if !word.isEmpty { out.append(word); word = "" }
            if c == "*" || c == "#" || c == "," { out.append(String(c)) }
            if c == "." || c == ";" || c == ":" || c == "!" || c == "?" { out.append(".") }
        }
        if !word.isEmpty { out.append(word) }
        return out
    }
}
