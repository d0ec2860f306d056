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

    /// Feeds the tokens of `text` to `reader`, in order. `scratch` is reused
    /// space for text with non-ASCII characters.
    static func classify(_ text: String, into reader: inout KeyMentions, scratch: inout [UInt8]) {
        var copy = reader
        let ascii = text.utf8.withContiguousStorageIfAvailable { scan($0, into: &copy) }
            ?? Array(text.utf8).withUnsafeBufferPointer { scan($0, into: &copy) }
        if ascii {
            reader = copy
            return
        }
        scratch.removeAll(keepingCapacity: true)
        for word in unicodeTokens(text.lowercased()) { scratch.append(code(of: word)) }
        for token in scratch { reader.feed(token) }
    }

    /// The ASCII path, on bytes; false (the reader unfinished) at the first non-ASCII byte.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, into reader: inout KeyMentions) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var word: UInt64 = 0
        var length = 0
        var i = 0
        let count = bytes.count
        while i < count {
            let b = base[i]
            i &+= 1
            if b >= 0x80 { return false }
            let lower = b &- 65 < 26 ? b | 0x20 : b
            if lower &- 97 < 26 || lower &- 48 < 10 || lower == 39 || lower == 45 {
                if length < 8 { word |= UInt64(lower) &<< UInt64(8 &* length) }
                length &+= 1
                continue
            }
            if length > 0 {
                reader.feed(code(packed: word, length: length))
                word = 0
                length = 0
            }
            switch b {
            case 42: reader.feed(10) // *
            case 35: reader.feed(11) // #
            case 44: reader.feed(separator) // ,
            case 46, 59, 58, 33, 63: reader.feed(other) // . ; : ! ?
            default: break
            }
        }
        if length > 0 { reader.feed(code(packed: word, length: length)) }
        return true
    }

    private static func pack(_ word: String) -> UInt64 {
        var packed: UInt64 = 0
        for (i, b) in word.utf8.prefix(8).enumerated() { packed |= UInt64(b) << UInt64(8 * i) }
        return packed
    }

    /// The words that mean something, packed as in `scan` (up to 8 lowercase
    /// bytes, first byte lowest): one comparison tree instead of a table scan.
    private static func code(packed: UInt64, length: Int) -> UInt8 {
        if length == 1, packed >= 48, packed <= 57 { return UInt8(packed - 48) }
        guard length <= 8 else { return other }
        switch packed {
        case 0x6F72_657A: return 0 // zero
        case 0x65_6E6F: return 1 // one
        case 0x6F_7774: return 2 // two
        case 0x65_6572_6874: return 3 // three
        case 0x7275_6F66: return 4 // four
        case 0x6576_6966: return 5 // five
        case 0x78_6973: return 6 // six
        case 0x6E_6576_6573: return 7 // seven
        case 0x74_6867_6965: return 8 // eight
        case 0x656E_696E: return 9 // nine
        case 0x7261_7473, 0x6B73_6972_6574_7361: return 10 // star, asterisk
        case 0x64_6E75_6F70, 0x6873_6168: return 11 // pound, hash
        case 0x73_7365_7270, 0x6C61_6964, 0x6873_7570: return trigger // press, dial, push
        case 0x65_6874, 0x79_656B, 0x6E6F_7474_7562: return filler // the, key, button
        case 0x726F, 0x64_6E61: return separator // or, and
        case 0x72_6F66: return `for` // for
        default: return other
        }
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
