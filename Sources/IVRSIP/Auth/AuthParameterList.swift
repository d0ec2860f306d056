/// The `auth-param` list of a SIP authentication header (RFC 3261 25.1,
/// RFC 7235 2.1): a scheme token, then `name=value` pairs separated by
/// commas, each value a token or a quoted string with `\` escapes.
/// Bounded: a header longer than `maxLength` or with more than
/// `maxParameters` pairs is refused, never read further.
struct AuthParameterList: Sendable, Equatable {
    static let maxLength = 4096
    static let maxParameters = 32

    /// The scheme as written (`Digest`).
    var scheme: String
    /// Names lower-cased, values unquoted and unescaped, in order.
    var parameters: [(name: String, value: String)]

    static func == (a: Self, b: Self) -> Bool {
        a.scheme == b.scheme && a.parameters.elementsEqual(b.parameters) { $0.name == $1.name && $0.value == $1.value }
    }

    /// The first value of `name` (case-insensitive).
    func value(_ name: String) -> String? {
        let key = name.lowercased()
        return parameters.first { $0.name == key }?.value
    }

    /// Nil when the text is not a scheme followed by a well-formed list.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count <= Self.maxLength else { return nil }
        var i = 0
        func skipSpace() { while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 } }
        func token() -> String? {
            let start = i
            while i < bytes.count, SIPGrammar.isTokenByte(bytes[i]) { i += 1 }
            return i > start ? String(decoding: bytes[start..<i], as: UTF8.self) : nil
        }
        skipSpace()
        guard let scheme = token() else { return nil }
        self.scheme = scheme
        var parameters: [(name: String, value: String)] = []
        skipSpace()
        while i < bytes.count {
            guard parameters.count < Self.maxParameters, let name = token() else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { return nil }
            i += 1
            skipSpace()
            var value: [UInt8] = []
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                i += 1
                var closed = false
                while i < bytes.count {
                    let b = bytes[i]
                    if b == UInt8(ascii: "\\") {
                        i += 1
                        guard i < bytes.count else { return nil }
                        value.append(bytes[i])
                    } else if b == UInt8(ascii: "\"") {
                        closed = true
                        i += 1
                        break
                    } else {
                        value.append(b)
                    }
                    i += 1
                }
                guard closed else { return nil }
            } else {
                guard let plain = token() else { return nil }
                value = Array(plain.utf8)
            }
            parameters.append((name.lowercased(), String(decoding: value, as: UTF8.self)))
            skipSpace()
            guard i < bytes.count else { break }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i += 1
            skipSpace()
        }
        self.parameters = parameters
    }

    /// A quoted-string (RFC 3261 25.1): `"` and `\` escaped.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for c in value {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}
