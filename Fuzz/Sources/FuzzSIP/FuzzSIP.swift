import IVRSIP

/// One input: any bytes as a TCP/TLS stream (the stream framer, RFC 3261
/// 18.3), as a SIP datagram (parser, header accessors,
/// serialiser round trip, the 400 salvage of a refused request, the digest
/// challenges of a 401/407 and their answers), the header sub-parsers on
/// the text itself (Via, name-addr, URI, CSeq, a digest challenge, a CIDR
/// block), an SDP body (offer/answer), an
/// RTP packet (RFC 4733 filter, G.711), a WAV prompt and a DNS answer
/// (the SRV targets it holds put in RFC 2782 order). A crash, hang or
/// leak is a bug.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        let message = try SIPParser.parse(bytes)
        _ = message.vias
        _ = message.from?.tag
        _ = message.to?.sipURI
        _ = message.cseq
        _ = message.contentType
        _ = message.requestURI.flatMap(SIPURI.init)
        _ = message.headers["Contact"].flatMap(NameAddress.init)
        _ = DTMFInfo.key(contentType: message.contentType, body: message.body)
        // What the server writes must read back as the same message (when
        // there is room for the Content-Length line serialisation always adds).
        if message.headers.reduce(0, { n, _ in n + 1 }) < SIPParser.maxHeaderFields {
            let again = try? SIPParser.parse(message.serialized())
            precondition(again?.callID == message.callID && again?.body == message.body, "serialize/parse round trip changed the message")
        }
        _ = message.response(400, toTag: "fuzz").serialized()
        for case .success(let challenge) in DigestChallenge.all(in: message) {
            _ = answer(challenge)
        }
        if let authorization = message.headers["Authorization"], let answer = try? DigestAnswer(parsing: authorization) {
            _ = answer.isAnswered(by: "pw", method: message.method)
        }
    } catch {
        _ = MalformedRequest.salvage(bytes).map { SIPMessage(.response(status: error.status, reason: "Bad Request"), headers: $0).serialized() }
    }
    frameStream(bytes, limits: SIPStreamFramer.Limits())
    frameStream(bytes, limits: SIPStreamFramer.Limits(maxHeaderBytes: 256, maxBodyBytes: 64))
    if size <= 4096 {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = Via(text)?.description
        _ = NameAddress(text)?.description
        _ = SIPURI(text)?.description
        _ = CSeq(text)
        _ = CIDRBlock(text)?.description
        if let challenge = try? DigestChallenge(parsing: text, fromProxy: false) {
            // What ivrc answers, the server side of ivrc accepts (for what it challenges with).
            let sent = answer(challenge)
            if challenge.qopAuth, !challenge.realm.isEmpty, challenge.algorithm == .md5 || challenge.algorithm == .sha256 {
                let read = try? DigestAnswer(parsing: sent)
                precondition(read?.isAnswered(by: "pw", method: "INVITE") == true, "an answer ivrc computed does not verify")
            }
        }
        if let answer = try? DigestAnswer(parsing: text) { _ = answer.isAnswered(by: "pw", method: "INVITE") }
    }
    if let offer = try? SessionDescription(parsing: bytes) {
        for policy in [SRTPPolicy.optional, .required] {
            if case .success(let agreement) = SDPNegotiator.agree(offer: offer, srtp: policy) {
                _ = SDPNegotiator.answer(offer: offer, agreement: agreement, localAddress: "127.0.0.1", localPort: 10000,
                                         sessionID: 1, version: 1)
            }
        }
    }
    if let packet = try? RTPPacket.decode(bytes) {
        var filter = TelephoneEventFilter()
        _ = filter.key(for: packet)
        _ = filter.key(for: packet)
        _ = G711.decode(packet.payload, codec: .pcmu)
        _ = G711.decode(packet.payload, codec: .pcma)
        _ = packet.encoded()
    }
    _ = try? WAVFile.read8k(bytes)
    if let dns = try? DNSMessage(parsing: bytes) {
        let targets = dns.records.compactMap { record -> SRVTarget? in
            guard case .srv(let priority, let weight, let port, let host) = record.data else { return nil }
            return SRVTarget(priority: priority, weight: weight, port: port, host: host)
        }
        var random = SystemRandomNumberGenerator()
        precondition(SRVTarget.order(targets, using: &random).count == targets.count, "RFC 2782 order lost or added a target")
    }
    return 0
}

/// The bytes as a TCP/TLS stream: frames are cut off the front until the
/// framer needs more or refuses; each frame names bytes that are there,
/// and each whole message is parsed as the server would.
func frameStream(_ bytes: [UInt8], limits: SIPStreamFramer.Limits) {
    var rest = bytes[...]
    while !rest.isEmpty {
        switch SIPStreamFramer.next(rest, limits: limits) {
        case .message(let length):
            precondition(length > 0 && length <= rest.count, "a frame longer than the bytes")
            precondition(length <= limits.maxHeaderBytes + limits.maxBodyBytes, "a frame over the limits")
            _ = try? SIPParser.parse(Array(rest.prefix(length)))
            rest = rest.dropFirst(length)
        case .ping(let length), .skip(let length):
            precondition(length > 0 && length <= rest.count, "a frame longer than the bytes")
            rest = rest.dropFirst(length)
        case .needMore(let idle):
            precondition(!idle || rest.allSatisfy { $0 == 13 || $0 == 10 }, "idle with a message started")
            return
        case .invalid:
            return
        }
    }
}

/// An answer to a parsed challenge: what ivrc would send back.
func answer(_ challenge: DigestChallenge) -> String {
    DigestAuthorization(challenge: challenge, credential: DigestCredential(realm: nil, user: "fuzz", password: "pw"),
                        method: "INVITE", uri: "sip:fuzz@192.0.2.9").headerValue
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM names an executable's entry `<module>_main`; hand control to
/// libFuzzer's driver from there.
@_cdecl("FuzzSIP_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0, $1) }
}
