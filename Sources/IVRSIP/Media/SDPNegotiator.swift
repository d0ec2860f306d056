/// The answerer of RFC 3264: picks the first offered G.711 codec the
/// server speaks (PCMU/8000 or PCMA/8000, offerer's order), keeps
/// telephone-event/8000 with the offerer's payload type, and builds the
/// answer. Re-offers (hold with `sendonly`/`inactive` or `c=0.0.0.0`) are
/// answered the same way with the mirrored direction.
///
/// SRTP (RFC 4568 SDES) follows the `SRTPPolicy`: an `RTP/SAVP` offer, or
/// an `RTP/AVP` offer with `a=crypto` (best effort), is keyed with the
/// first crypto attribute we support (`SDESCrypto`), answered with the
/// same tag and suite and a fresh key of ours; the answer's profile is the
/// offer's.
public enum SDPNegotiator {
    /// The audio codec of a call.
    public enum Codec: String, Sendable, Equatable {
        case pcmu = "PCMU", pcma = "PCMA"
        public var payloadType: Int { self == .pcmu ? 0 : 8 }
    }

    /// What was agreed for a call's audio.
    public struct Agreement: Sendable, Equatable {
        public var codec: Codec
        /// The payload type for the codec (usually 0 or 8; the offer's, if it renumbered).
        public var payloadType: Int
        /// telephone-event payload type, when offered.
        public var eventPayloadType: Int?
        /// Where to send RTP.
        public var remoteAddress: String
        public var remotePort: Int
        /// Our direction.
        public var direction: SessionDescription.Direction
        /// The SRTP keys, when the media is SRTP; nil: plain RTP.
        public var srtp: SRTPAgreement? = nil
        /// The agreed media line's profile as written (`RTP/AVP`, `RTP/SAVP`, ...).
        public var profile: String = "RTP/AVP"
        /// The index of the agreed `m=` line in the offer.
        public var mediaIndex: Int = 0
    }

    /// Chooses from an offer under `policy`; `current` (the call's keys,
    /// for a re-INVITE) keeps our key when the peer's crypto attribute did
    /// not change (RFC 4568 section 7.1.4), so the streams go on unrekeyed.
    public static func agree(offer: SessionDescription, srtp policy: SRTPPolicy = .optional,
                             current: SRTPAgreement? = nil) -> Result<Agreement, Refusal> {
        var refusal: Refusal?
        for (index, m) in offer.media.enumerated() where m.type == "audio" && m.port != 0 {
            guard let secure = isSecure(profile: m.proto), let address = m.connection ?? offer.connection else { continue }
            guard var agreement = choose(m, index: index, address: address, direction: offer.direction(of: m)) else {
                refusal = Refusal.noCodec.over(refusal)
                continue
            }
            let crypto = m.cryptos.lazy.compactMap { SDESCrypto(attribute: $0) }.first
            switch (policy, crypto) {
            case (.off, _):
                if secure {
                    refusal = Refusal.srtpOff.over(refusal)
                    continue
                }
            case (.optional, let crypto?), (.required, let crypto?):
                var localKey = SRTPMasterKey.random()
                if let current, current.tag == crypto.tag, current.suite == crypto.suite, current.remoteKey == crypto.key {
                    localKey = current.localKey
                }
                agreement.srtp = SRTPAgreement(suite: crypto.suite, tag: crypto.tag, localKey: localKey, remoteKey: crypto.key)
            case (.optional, nil), (.required, nil):
                if secure {
                    refusal = Refusal.noCryptoSuite.over(refusal)
                    continue
                }
                if policy == .required {
                    refusal = Refusal.srtpRequired.over(refusal)
                    continue
                }
            }
            return .success(agreement)
        }
        return .failure(refusal ?? .noCodec)
    }

    /// Reads the answer to our offer: the codec as `agree` picks it, and,
    /// when we offered SRTP (`offered`), the keys of the crypto attribute
    /// that names one of ours. An answer without one fails: we offered
    /// `RTP/SAVP`, so plain RTP is not an answer to it. A crypto attribute
    /// in the answer to a plain offer is ignored.
    public static func agree(answer: SessionDescription, offered: SRTPOffer?) -> Result<Agreement, Refusal> {
        var refusal: Refusal?
        for (index, m) in answer.media.enumerated() where m.type == "audio" && m.port != 0 {
            guard isSecure(profile: m.proto) != nil, let address = m.connection ?? answer.connection else { continue }
            guard var agreement = choose(m, index: index, address: address, direction: answer.direction(of: m)) else {
                refusal = Refusal.noCodec.over(refusal)
                continue
            }
            if let offered {
                guard let keys = m.cryptos.lazy.compactMap({ SDESCrypto(attribute: $0) }).compactMap(offered.agreement(answer:)).first else {
                    refusal = Refusal.noCryptoSuite.over(refusal)
                    continue
                }
                agreement.srtp = keys
            }
            return .success(agreement)
        }
        return .failure(refusal ?? .noCodec)
    }

    /// True for a secure RTP profile, false for a plain one, nil for a
    /// profile we do not speak (DTLS-SRTP's `UDP/TLS/RTP/SAVP`, ...).
    static func isSecure(profile: String) -> Bool? {
        switch profile.uppercased() {
        case "RTP/AVP", "RTP/AVPF": false
        case "RTP/SAVP", "RTP/SAVPF": true
        default: nil
        }
    }

    /// The codec and telephone-event of one media line; nil without G.711.
    static func choose(_ m: SessionDescription.Media, index: Int, address: String,
                       direction: SessionDescription.Direction) -> Agreement? {
        var chosen: (Codec, Int)?
        var event: Int?
        for pt in m.payloadTypes {
            guard let enc = m.encoding(of: pt) else { continue }
            if chosen == nil, enc.rate == 8000, let codec = Codec(rawValue: enc.name) { chosen = (codec, pt) }
            if event == nil, enc.name == "TELEPHONE-EVENT", enc.rate == 8000 { event = pt }
        }
        guard let (codec, pt) = chosen else { return nil }
        return Agreement(codec: codec, payloadType: pt, eventPayloadType: event, remoteAddress: address,
                         remotePort: m.port, direction: direction.answer, profile: m.proto, mediaIndex: index)
    }

    /// The answer's SDP text: the agreed line with the offer's profile (and
    /// our crypto attribute when SRTP was agreed); every other media line
    /// of the offer is refused with port 0.
    public static func answer(offer: SessionDescription, agreement: Agreement, localAddress: String, localPort: Int,
                              sessionID: UInt64, version: UInt64) -> String {
        var sdp = header(localAddress: localAddress, sessionID: sessionID, version: version)
        for (index, m) in offer.media.enumerated() {
            if index == agreement.mediaIndex {
                sdp += audioSection(port: localPort, profile: m.proto, payloadTypes: [agreement.payloadType], codec: agreement.codec,
                                    eventPayloadType: agreement.eventPayloadType, direction: agreement.direction,
                                    cryptos: agreement.srtp.map { [$0.localCrypto] } ?? [])
            } else {
                sdp += "m=\(m.type) 0 \(m.proto) \(m.formats.first ?? "0")\r\n"
            }
        }
        return sdp
    }

    /// An offer for an outbound call: PCMU, PCMA (PCMA first when `first`
    /// is PCMA: a bridge offers the caller's codec first), telephone-event
    /// 101; with `srtp`, as `RTP/SAVP` with its crypto attributes.
    public static func offer(localAddress: String, localPort: Int, sessionID: UInt64, srtp: SRTPOffer? = nil,
                             first: Codec = .pcmu) -> String {
        let profile = srtp == nil ? "RTP/AVP" : "RTP/SAVP"
        var sdp = header(localAddress: localAddress, sessionID: sessionID, version: 1)
        sdp += "m=audio \(localPort) \(profile) \(first == .pcmu ? "0 8" : "8 0") 101\r\n"
        sdp += "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
        sdp += "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n"
        for crypto in srtp?.cryptos ?? [] { sdp += "a=crypto:\(crypto.attributeValue)\r\n" }
        return sdp
    }

    static func header(localAddress: String, sessionID: UInt64, version: UInt64) -> String {
        let ipv = localAddress.contains(":") ? "IP6" : "IP4"
        return "v=0\r\no=ivrc \(sessionID) \(version) IN \(ipv) \(localAddress)\r\ns=ivrc\r\n"
            + "c=IN \(ipv) \(localAddress)\r\nt=0 0\r\n"
    }

    static func audioSection(port: Int, profile: String, payloadTypes: [Int], codec: Codec, eventPayloadType: Int?,
                             direction: SessionDescription.Direction, cryptos: [SDESCrypto]) -> String {
        let formats = (payloadTypes + (eventPayloadType.map { [$0] } ?? [])).map(String.init).joined(separator: " ")
        var s = "m=audio \(port) \(profile) \(formats)\r\n"
        s += "a=rtpmap:\(payloadTypes[0]) \(codec.rawValue)/8000\r\n"
        if let e = eventPayloadType { s += "a=rtpmap:\(e) telephone-event/8000\r\na=fmtp:\(e) 0-15\r\n" }
        s += "a=ptime:20\r\na=\(direction.rawValue)\r\n"
        for crypto in cryptos { s += "a=crypto:\(crypto.attributeValue)\r\n" }
        return s
    }
}
