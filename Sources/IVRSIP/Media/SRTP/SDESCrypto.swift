/// One SDES crypto attribute (RFC 4568 section 9.1):
///
///     a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20
///
/// `init?(attribute:)` takes what follows `a=crypto:` and accepts only what
/// ivrc can key; everything else gives nil and the attribute is skipped
/// (RFC 4568 section 7.1.2: the answerer picks among the ones it supports):
///
/// - a suite other than AES_CM_128_HMAC_SHA1_80 and _32;
/// - a tag that is not 1 to 9 digits, a key that is not 40 characters of
///   base64 for 30 bytes, a lifetime that does not parse or is below 2^20
///   packets (a call would outlive it), more than one key;
/// - an MKI (`|1:4`): our inbound context is keyed without one;
/// - a session parameter we do not apply: `UNENCRYPTED_SRTP`,
///   `UNENCRYPTED_SRTCP`, `UNAUTHENTICATED_SRTP` (media in the clear or
///   unauthenticated is not what SRTP was asked for), `KDR`, `FEC_ORDER`,
///   `FEC_KEY`, and any unknown one (section 6.3.7: an unknown parameter
///   makes the attribute invalid). `WSH=` (a replay window hint; we keep
///   128 packets) and parameters starting with `-` (optional by
///   definition) are ignored;
/// - an attribute longer than `maxLength` characters.
public struct SDESCrypto: Sendable, Equatable, CustomStringConvertible {
    public var tag: Int
    public var suite: SRTPSuite
    public var key: SRTPMasterKey

    /// Longer attribute values are refused unread.
    public static let maxLength = 512

    public init(tag: Int, suite: SRTPSuite, key: SRTPMasterKey) {
        self.tag = tag
        self.suite = suite
        self.key = key
    }

    public init?(attribute text: some StringProtocol) {
        guard text.utf8.count <= Self.maxLength else { return nil }
        let value = Substring(text)
        let fields = value.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 3, fields[0].count <= 9, fields[0].allSatisfy(\.isASCIIDigit), let tag = Int(fields[0]),
              let suite = SRTPSuite(rawValue: String(fields[1])) else { return nil }
        // One key parameter: several are separated by ';' and need MKIs.
        let keyParam = fields[2]
        guard !keyParam.contains(";"), keyParam.hasPrefix("inline:") else { return nil }
        let info = keyParam.dropFirst("inline:".count).split(separator: "|", omittingEmptySubsequences: false)
        guard (1...2).contains(info.count), let key = SRTPMasterKey(base64: info[0]) else { return nil }
        if info.count == 2 {
            guard let lifetime = Self.lifetime(info[1]), lifetime >= 1 << 20 else { return nil }
        }
        for parameter in fields.dropFirst(3) {
            guard parameter.hasPrefix("-") || Self.isWindowHint(parameter) else { return nil }
        }
        self.init(tag: tag, suite: suite, key: key)
    }

    /// The attribute's value as we send it (after `a=crypto:`).
    public var attributeValue: String { "\(tag) \(suite.rawValue) inline:\(key.base64)" }

    /// Tag and suite; never the key.
    public var description: String { "crypto \(tag) \(suite.rawValue)" }

    /// `2^N` or a decimal number of packets; nil when malformed (an MKI,
    /// `N:L`, lands here too).
    static func lifetime(_ text: Substring) -> UInt64? {
        if text.hasPrefix("2^") {
            let digits = text.dropFirst(2)
            guard (1...2).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), let n = Int(digits), n <= 48 else { return nil }
            return 1 << UInt64(n)
        }
        guard (1...15).contains(text.count), text.allSatisfy(\.isASCIIDigit) else { return nil }
        return UInt64(text)
    }

    static func isWindowHint(_ parameter: Substring) -> Bool {
        guard parameter.hasPrefix("WSH=") else { return false }
        let digits = parameter.dropFirst(4)
        return (1...9).contains(digits.count) && digits.allSatisfy(\.isASCIIDigit)
    }
}
