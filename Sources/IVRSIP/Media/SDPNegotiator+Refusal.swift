extension SDPNegotiator {
    /// Why an offer (or an answer to our offer) cannot be taken: the call
    /// gets `488 Not Acceptable Here` with `Warning: 399 ivrc "<warning>"`.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// No audio stream with PCMU/8000 or PCMA/8000.
        case noCodec
        /// `--srtp required` and the offer is plain RTP (no usable `a=crypto`).
        case srtpRequired
        /// `--srtp off` and the offer is `RTP/SAVP`.
        case srtpOff
        /// SRTP asked for (`RTP/SAVP`, or our own SRTP offer) but no crypto
        /// attribute we can key: no common suite, or malformed.
        case noCryptoSuite

        public var warning: String {
            switch self {
            case .noCodec: "PCMU/8000 or PCMA/8000 required"
            case .srtpRequired: "SRTP required"
            case .srtpOff: "SRTP is off"
            case .noCryptoSuite: "no supported SRTP crypto suite (AES_CM_128_HMAC_SHA1_80 or _32)"
            }
        }

        public var description: String { warning }

        /// The more telling of two reasons: an SRTP reason over a missing codec.
        func over(_ other: Refusal?) -> Refusal {
            guard let other, other != .noCodec else { return self }
            return other
        }
    }
}
