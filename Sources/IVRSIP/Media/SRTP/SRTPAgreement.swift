/// The SRTP keys of a call as negotiated by SDES: the suite and tag of the
/// crypto attribute both sides agreed on, our key (it protects what we
/// send; it is in the SDP we send) and the peer's (it unprotects what we
/// receive). Printing it shows the suite and tag only.
public struct SRTPAgreement: Sendable, Equatable, CustomStringConvertible {
    public var suite: SRTPSuite
    public var tag: Int
    public var localKey: SRTPMasterKey
    public var remoteKey: SRTPMasterKey

    /// The crypto attribute that carries our key (in an answer).
    public var localCrypto: SDESCrypto { SDESCrypto(tag: tag, suite: suite, key: localKey) }

    public var description: String { "SRTP \(suite.rawValue) (tag \(tag))" }
}
