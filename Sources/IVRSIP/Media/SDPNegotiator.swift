/// The answerer of RFC 3264: picks the first offered G.711 codec the
/// server speaks (PCMU/8000 or PCMA/8000, offerer's order), keeps
/// telephone-event/8000 with the offerer's payload type, and builds the
/// answer. Re-offers (hold with `sendonly`/`inactive` or `c=0.0.0.0`) are
/// answered the same way with the mirrored direction.
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
    }

    /// Chooses from an offer; nil when no audio stream has a codec we speak (488).
    public static func agree(offer: SessionDescription) -> Agreement? {
        for m in offer.media where m.type == "audio" && m.port != 0 && m.proto.uppercased().hasPrefix("RTP/AVP") {
            guard let address = m.connection ?? offer.connection else { continue }
            var chosen: (Codec, Int)?
            var event: Int?
            for pt in m.payloadTypes {
                guard let enc = m.encoding(of: pt) else { continue }
                if chosen == nil, enc.rate == 8000, let codec = Codec(rawValue: enc.name) { chosen = (codec, pt) }
                if event == nil, enc.name == "TELEPHONE-EVENT", enc.rate == 8000 { event = pt }
            }
            guard let (codec, pt) = chosen else { continue }
            return Agreement(codec: codec, payloadType: pt, eventPayloadType: event, remoteAddress: address,
                             remotePort: m.port, direction: offer.direction(of: m).answer)
        }
        return nil
    }

    /// The answer's SDP text. Other media lines of the offer are refused with port 0.
    public static func answer(offer: SessionDescription, agreement: Agreement, localAddress: String, localPort: Int,
                              sessionID: UInt64, version: UInt64) -> String {
        var sdp = header(localAddress: localAddress, sessionID: sessionID, version: version)
        var answered = false
        for m in offer.media {
            if !answered, m.type == "audio", m.port != 0, m.payloadTypes.contains(agreement.payloadType) {
                answered = true
                sdp += audioSection(port: localPort, payloadType: agreement.payloadType, codec: agreement.codec,
                                    eventPayloadType: agreement.eventPayloadType, direction: agreement.direction)
            } else {
                sdp += "m=\(m.type) 0 \(m.proto) \(m.formats.first ?? "0")\r\n"
            }
        }
        return sdp
    }

    /// An offer for an outbound call: PCMU, PCMA, telephone-event 101.
    public static func offer(localAddress: String, localPort: Int, sessionID: UInt64) -> String {
        header(localAddress: localAddress, sessionID: sessionID, version: 1)
            + "m=audio \(localPort) RTP/AVP 0 8 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n"
    }

    static func header(localAddress: String, sessionID: UInt64, version: UInt64) -> String {
        let ipv = localAddress.contains(":") ? "IP6" : "IP4"
        return "v=0\r\no=ivrc \(sessionID) \(version) IN \(ipv) \(localAddress)\r\ns=ivrc\r\n"
            + "c=IN \(ipv) \(localAddress)\r\nt=0 0\r\n"
    }

    static func audioSection(port: Int, payloadType: Int, codec: Codec, eventPayloadType: Int?,
                             direction: SessionDescription.Direction) -> String {
        var s = "m=audio \(port) RTP/AVP \(payloadType)" + (eventPayloadType.map { " \($0)" } ?? "") + "\r\n"
        s += "a=rtpmap:\(payloadType) \(codec.rawValue)/8000\r\n"
        if let e = eventPayloadType { s += "a=rtpmap:\(e) telephone-event/8000\r\na=fmtp:\(e) 0-15\r\n" }
        s += "a=ptime:20\r\na=\(direction.rawValue)\r\n"
        return s
    }
}
