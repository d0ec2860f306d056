/// The crypto attributes of an SRTP offer we send (`RTP/SAVP`), each with
/// a fresh key of its own: tag 1 AES_CM_128_HMAC_SHA1_80, tag 2
/// AES_CM_128_HMAC_SHA1_32. Kept until the answer names the one it took.
public struct SRTPOffer: Sendable, Equatable, CustomStringConvertible {
    public var cryptos: [SDESCrypto]

    public init(cryptos: [SDESCrypto]) {
        self.cryptos = cryptos
    }

    /// Two attributes, _80 then _32, keys from the system CSPRNG.
    public static func fresh() -> SRTPOffer {
        SRTPOffer(cryptos: [SDESCrypto(tag: 1, suite: .aesCM128HMACSHA1_80, key: .random()),
                            SDESCrypto(tag: 2, suite: .aesCM128HMACSHA1_32, key: .random())])
    }

    /// The keys an answer's crypto attribute settles on: it must carry the
    /// tag and suite of one of ours (RFC 4568 section 7.1.3), with its own
    /// key; nil otherwise.
    public func agreement(answer: SDESCrypto) -> SRTPAgreement? {
        guard let ours = cryptos.first(where: { $0.tag == answer.tag && $0.suite == answer.suite }) else { return nil }
        return SRTPAgreement(suite: ours.suite, tag: ours.tag, localKey: ours.key, remoteKey: answer.key)
    }

    public var description: String { "SRTP offer (\(cryptos.map(\.description).joined(separator: ", ")))" }
}
