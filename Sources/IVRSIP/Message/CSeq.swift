/// The `CSeq` header: a sequence number and a method (RFC 3261 20.16).
public struct CSeq: Sendable, Equatable, CustomStringConvertible {
    public var number: UInt32
    public var method: String

    public init(number: UInt32, method: String) {
        self.number = number
        self.method = method
    }

    /// Parses `4711 INVITE`; nil when the number is not a 32-bit value below
    /// 2**31 or the method is not a token.
    public init?(_ text: String) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 2, parts[0].count <= 10, parts[0].allSatisfy(\.isASCIIDigit),
              let n = UInt32(parts[0]), n < 1 << 31, SIPGrammar.isToken(parts[1]) else { return nil }
        number = n
        method = String(parts[1])
    }

    public var description: String { "\(number) \(method)" }
}

/// Character classes of the RFC 3261 grammar.
enum SIPGrammar {
    /// `token` (RFC 3261 25.1): alphanumerics and `-.!%*_+`'~`.
    static func isToken(_ s: some StringProtocol) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { c in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "-.!%*_+`'~".unicodeScalars.contains(c))
        }
    }

    /// One byte of a `token`.
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "-.!%*_+`'~".utf8.contains(b)
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
