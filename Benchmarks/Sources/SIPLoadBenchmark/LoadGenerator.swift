import Foundation
import IVRSIP
#if canImport(Glibc)
import Glibc
#endif

/// The raw-UDP SIP callers: N calls from one SIP socket (told apart by
/// Call-ID), their RTP received by an `RTPReceiver`. Not a SIP stack: it
/// sends hand-written INVITE / ACK / BYE, answers the server's BYE with
/// 200, retransmits an unanswered INVITE after 1 s (up to 5 times), and
/// keeps at most `window` calls between INVITE and first RTP packet.
/// With `srtp`, each INVITE offers `RTP/SAVP` with one
/// AES_CM_128_HMAC_SHA1_80 key of its own, and the answer's key keys the
/// receiver's SRTP context for that stream.
final class LoadGenerator: @unchecked Sendable {
    // NOTE: the per-call tables are guarded by `lock`; the SIP socket is read by one thread.
    let sipPort: Int
    let calls: Int
    let window: Int
    let receiver: RTPReceiver
    let sip: (fd: Int32, port: Int)
    let tag: String
    private let lock = NSLock()
    private var inviteSent: [UInt64]
    private var retransmits: [Int]
    private var answered: [Bool]
    private var toTags: [String?]
    private var byeAnswered: [Bool]
    private var running = true
    private var threadDone = false
    private(set) var failures: [Int: Int] = [:]
    let keys: [SRTPMasterKey]?

    init(sipPort: Int, calls: Int, window: Int = 100, receiver: RTPReceiver, srtp: Bool = false) {
        keys = srtp ? (0..<calls).map { _ in SRTPMasterKey.random() } : nil
        self.sipPort = sipPort
        self.calls = calls
        self.window = window
        self.receiver = receiver
        sip = RawUDP.bind(receiveBuffer: 4 << 20)
        tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        inviteSent = Array(repeating: 0, count: calls)
        retransmits = Array(repeating: 0, count: calls)
        answered = Array(repeating: false, count: calls)
        toTags = Array(repeating: nil, count: calls)
        byeAnswered = Array(repeating: false, count: calls)
        Thread { self.sipLoop() }.start()
    }

    func request(_ method: String, call i: Int, cseq: Int, toTag: String? = nil, body: String = "") -> String {
        var s = "\(method) sip:100@127.0.0.1:\(sipPort) SIP/2.0\r\n"
        s += "Via: SIP/2.0/UDP 127.0.0.1:\(sip.port);branch=z9hG4bK\(tag)x\(i)x\(cseq)\(method == "ACK" ? "a" : "")\r\n"
        s += "From: <sip:load\(i)@127.0.0.1>;tag=L\(i)\r\nTo: <sip:100@127.0.0.1>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
        s += "Call-ID: load-\(tag)-\(i)\r\nCSeq: \(cseq) \(method)\r\nContact: <sip:load\(i)@127.0.0.1:\(sip.port)>\r\nMax-Forwards: 70\r\n"
        if !body.isEmpty { s += "Content-Type: application/sdp\r\n" }
        return s + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    func invite(_ i: Int) -> String {
        let offer = "v=0\r\no=- \(i) 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio \(receiver.port(forStream: i)) \(keys == nil ? "RTP/AVP" : "RTP/SAVP") 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n"
            + (keys.map { "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\($0[i].base64)\r\n" } ?? "")
        return request("INVITE", call: i, cseq: 1, body: offer)
    }

    /// Places every call (at most `window` in setup at once); returns the
    /// INVITE send times once every call's first RTP packet arrived or
    /// `timeout` seconds passed.
    func placeCalls(timeout: Double) -> (inviteSent: [UInt64], firstRTP: [UInt64]) {
        let deadline = RawUDP.now() + UInt64(timeout * 1e9)
        var sent = 0
        while RawUDP.now() < deadline {
            let (up, _) = receiver.arrivals()
            if up == calls { break }
            while sent < calls, sent - up < window {
                lock.withLock { inviteSent[sent] = RawUDP.now() }
                RawUDP.send(invite(sent), fd: sip.fd, port: sipPort)
                sent += 1
            }
            // INVITEs lost to a full socket buffer: the same request again after 1 s.
            let now = RawUDP.now()
            let again = lock.withLock { () -> [Int] in
                (0..<sent).filter { !answered[$0] && retransmits[$0] < 5 && now - inviteSent[$0] > 1_000_000_000 * UInt64(retransmits[$0] + 1) }
            }
            for i in again {
                lock.withLock { retransmits[i] += 1 }
                RawUDP.send(invite(i), fd: sip.fd, port: sipPort)
            }
            usleep(1000)
        }
        return (lock.withLock { inviteSent }, receiver.arrivals().times)
    }

    func sipLoop() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while lock.withLock({ running }) {
            let n = recv(sip.fd, &buffer, buffer.count, 0)
            guard n > 0 else { continue }
            let text = String(decoding: buffer.prefix(n), as: UTF8.self)
            if text.hasPrefix("BYE") || text.hasPrefix("OPTIONS") {
                answer(text)
                continue
            }
            guard text.hasPrefix("SIP/2.0 "), let status = Int(text.dropFirst(8).prefix(3)),
                  let idRange = text.range(of: "Call-ID: load-\(tag)-"),
                  let i = Int(text[idRange.upperBound...].prefix { $0.isNumber }), i < calls else { continue }
            if text.contains(" BYE\r\n") {
                if status >= 200 { lock.withLock { byeAnswered[i] = true } }
                continue
            }
            guard text.contains(" INVITE\r\n") else { continue }
            lock.withLock { answered[i] = true }
            if status >= 300 {
                lock.withLock { failures[status, default: 0] += 1 }
                continue
            }
            guard status == 200 else { continue }
            let toLine = text.range(of: "\r\nTo:")?.upperBound ?? text.startIndex
            let tag = text.range(of: ";tag=", range: toLine..<text.endIndex)
                .map { String(text[$0.upperBound...].prefix { !$0.isNewline && $0 != ";" && $0 != "\r" }) }
            if let port = text.range(of: "m=audio ").flatMap({ Int(text[$0.upperBound...].prefix { $0.isNumber }) }) {
                var srtp: SRTPSession?
                if let keys, let line = text.range(of: "a=crypto:") {
                    let value = text[line.upperBound...].prefix { $0 != "\r" && $0 != "\n" }
                    if let theirs = SDESCrypto(attribute: value) {
                        srtp = try? SRTPSession(suite: theirs.suite, sendKey: keys[i], receiveKey: theirs.key)
                    }
                }
                receiver.register(sourcePort: port, stream: i, srtp: srtp)
            }
            lock.withLock { toTags[i] = tag }
            RawUDP.send(request("ACK", call: i, cseq: 1, toTag: tag), fd: sip.fd, port: sipPort)
        }
        lock.withLock { threadDone = true }
    }

    /// 200 OK to a server-initiated request (copying its headers).
    func answer(_ text: String) {
        let lines = text.components(separatedBy: "\r\n")
        let keep = lines.filter { l in ["via:", "from:", "to:", "call-id:", "cseq:"].contains { l.lowercased().hasPrefix($0) } }
        RawUDP.send("SIP/2.0 200 OK\r\n" + keep.joined(separator: "\r\n") + "\r\nContent-Length: 0\r\n\r\n", fd: sip.fd, port: sipPort)
    }

    /// BYE for every answered call, 100 at a time, each sent again after
    /// 1 s without an answer (up to 5 times).
    func hangUpAll() {
        for attempt in 0..<6 {
            if attempt > 0 { usleep(1_000_000) }
            let open = lock.withLock { (0..<calls).filter { toTags[$0] != nil && !byeAnswered[$0] } }
            if open.isEmpty { return }
            for (k, i) in open.enumerated() {
                guard let tag = lock.withLock({ toTags[i] }), !lock.withLock({ byeAnswered[i] }) else { continue }
                RawUDP.send(request("BYE", call: i, cseq: 2, toTag: tag), fd: sip.fd, port: sipPort)
                if k % 100 == 99 { usleep(5000) }
            }
        }
    }

    func close() {
        lock.withLock { running = false }
        while !lock.withLock({ threadDone }) { usleep(20_000) }
        Glibc.close(sip.fd)
    }
}
