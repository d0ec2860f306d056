import Foundation
import IVRSIP
#if canImport(Glibc)
import Glibc
#endif

/// The raw SIP callers: N calls from one SIP socket (told apart by
/// Call-ID), a UDP socket or one TCP or TLS connection (messages cut by
/// their Content-Length; no INVITE sent twice), their RTP received by an `RTPReceiver`. Not a SIP stack: it
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
    private(set) var sip: (fd: Int32, port: Int) = (-1, 0)
    /// How the signalling travels: UDP, or one TCP or TLS connection to `sipPort`.
    enum Signalling: String { case udp, tcp, tls }
    let signalling: Signalling
    /// Reliable transports: no INVITE is sent twice.
    var tcp: Bool { signalling != .udp }
    private var tlsConnection: TLSSignalling?
    private var tlsStream: [UInt8] = []
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
    /// Each call's server RTP port, from its 200 OK (nil: not answered yet).
    private var serverPorts: [Int?]
    var serverRTPPorts: [Int?] { lock.withLock { serverPorts } }
    let keys: [SRTPMasterKey]?

    /// Answers the INVITEs the server sends (bridged calls' B legs); nil: none expected.
    let callees: CalleeAnswerer?

    init(sipPort: Int, calls: Int, window: Int = 100, receiver: RTPReceiver, srtp: Bool = false, signalling: Signalling = .udp,
         socket: (fd: Int32, port: Int)? = nil, callees: CalleeAnswerer? = nil) throws {
        self.callees = callees
        keys = srtp ? (0..<calls).map { _ in SRTPMasterKey.random() } : nil
        self.sipPort = sipPort
        self.calls = calls
        self.window = window
        self.receiver = receiver
        self.signalling = signalling
        tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        inviteSent = Array(repeating: 0, count: calls)
        retransmits = Array(repeating: 0, count: calls)
        answered = Array(repeating: false, count: calls)
        toTags = Array(repeating: nil, count: calls)
        byeAnswered = Array(repeating: false, count: calls)
        serverPorts = Array(repeating: nil, count: calls)
        switch signalling {
        case .udp: sip = socket ?? RawUDP.bind(receiveBuffer: 4 << 20)
        case .tcp: sip = Self.connectTCP(port: sipPort)
        case .tls:
            sip = (-1, 0)
            let connection = try TLSSignalling(port: sipPort) { [weak self] bytes in self?.received(tls: bytes) }
            tlsConnection = connection
            sip = (-1, connection.localPort)
            lock.withLock { threadDone = true }
            return
        }
        Thread { self.sipLoop() }.start()
    }

    func request(_ method: String, call i: Int, cseq: Int, toTag: String? = nil, body: String = "") -> String {
        var s = "\(method) sip:100@127.0.0.1:\(sipPort) SIP/2.0\r\n"
        s += "Via: SIP/2.0/\(signalling.rawValue.uppercased()) 127.0.0.1:\(sip.port);branch=z9hG4bK\(tag)x\(i)x\(cseq)\(method == "ACK" ? "a" : "")\r\n"
        s += "From: <sip:load\(i)@127.0.0.1>;tag=L\(i)\r\nTo: <sip:100@127.0.0.1>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
        s += "Call-ID: load-\(tag)-\(i)\r\nCSeq: \(cseq) \(method)\r\nContact: <sip:load\(i)@127.0.0.1:\(sip.port)\(tcp ? ";transport=\(signalling.rawValue)" : "")>\r\nMax-Forwards: 70\r\n"
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
                send(invite(sent))
                sent += 1
            }
            // INVITEs lost to a full socket buffer: the same request again after 1 s.
            let now = RawUDP.now()
            let again = lock.withLock { () -> [Int] in
                (0..<sent).filter { !tcp && !answered[$0] && retransmits[$0] < 5 && now - inviteSent[$0] > 1_000_000_000 * UInt64(retransmits[$0] + 1) }
            }
            for i in again {
                lock.withLock { retransmits[i] += 1 }
                send(invite(i))
            }
            usleep(1000)
        }
        return (lock.withLock { inviteSent }, receiver.arrivals().times)
    }

    /// A connected TCP socket to 127.0.0.1:`port` (reads time out after 200 ms, as the UDP socket's do).
    static func connectTCP(port: Int) -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        var addr = RawUDP.address(port: port)
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(ok == 0, "cannot connect to tcp:127.0.0.1:\(port)")
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: local.sin_port)))
    }

    private let sendLock = NSLock()

    /// One message: a datagram, or bytes on the TCP connection (whole, in order).
    func send(_ text: String) {
        if let tlsConnection { return tlsConnection.send(text) }
        guard tcp else { return RawUDP.send(text, fd: sip.fd, port: sipPort) }
        let bytes = Array(text.utf8)
        sendLock.withLock {
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { Glibc.send(sip.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { return }
                sent += n
            }
        }
    }

    /// Whole messages off the front of a TCP byte stream (line ends between them skipped).
    static func cut(_ stream: inout [UInt8]) -> [String] {
        var messages: [String] = []
        while true {
            while let first = stream.first, first == 13 || first == 10 { stream.removeFirst() }
            guard let end = stream.indices.dropLast(3).first(where: {
                stream[$0] == 13 && stream[$0 + 1] == 10 && stream[$0 + 2] == 13 && stream[$0 + 3] == 10
            }) else { return messages }
            let head = String(decoding: stream[..<(end + 4)], as: UTF8.self)
            let length = head.range(of: "\r\nContent-Length: ").map { Int(head[$0.upperBound...].prefix { $0.isNumber }) ?? 0 } ?? 0
            guard stream.count >= end + 4 + length else { return messages }
            messages.append(String(decoding: stream[..<(end + 4 + length)], as: UTF8.self))
            stream.removeFirst(end + 4 + length)
        }
    }

    /// Bytes off the TLS connection (on its event loop): whole messages handled.
    func received(tls bytes: [UInt8]) {
        tlsStream += bytes
        for text in Self.cut(&tlsStream) { handle(text) }
    }

    func sipLoop() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var stream: [UInt8] = []
        while lock.withLock({ running }) {
            let n = recv(sip.fd, &buffer, buffer.count, 0)
            guard n > 0 else { continue }
            if tcp {
                stream += buffer.prefix(n)
                for text in Self.cut(&stream) { handle(text) }
            } else {
                handle(String(decoding: buffer.prefix(n), as: UTF8.self))
            }
        }
        lock.withLock { threadDone = true }
    }

    /// One message from the server: a request is answered, a response moves its call on.
    func handle(_ text: String) {
        if let callees, let ok = callees.answer(text) {
            send(ok)
            return
        }
        if text.hasPrefix("BYE") || text.hasPrefix("OPTIONS") {
            answer(text)
            return
        }
        guard text.hasPrefix("SIP/2.0 "), let status = Int(text.dropFirst(8).prefix(3)),
              let idRange = text.range(of: "Call-ID: load-\(tag)-"),
              let i = Int(text[idRange.upperBound...].prefix { $0.isNumber }), i < calls else { return }
        if text.contains(" BYE\r\n") {
            if status >= 200 { lock.withLock { byeAnswered[i] = true } }
            return
        }
        guard text.contains(" INVITE\r\n") else { return }
        lock.withLock { answered[i] = true }
        if status >= 300 {
            lock.withLock { failures[status, default: 0] += 1 }
            return
        }
        guard status == 200 else { return }
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
            lock.withLock { serverPorts[i] = port }
        }
        lock.withLock { toTags[i] = tag }
        send(request("ACK", call: i, cseq: 1, toTag: tag))
    }

    /// 200 OK to a server-initiated request (copying its headers).
    func answer(_ text: String) {
        let lines = text.components(separatedBy: "\r\n")
        let keep = lines.filter { l in ["via:", "from:", "to:", "call-id:", "cseq:"].contains { l.lowercased().hasPrefix($0) } }
        send("SIP/2.0 200 OK\r\n" + keep.joined(separator: "\r\n") + "\r\nContent-Length: 0\r\n\r\n")
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
                send(request("BYE", call: i, cseq: 2, toTag: tag))
                if k % 100 == 99 { usleep(5000) }
            }
        }
    }

    func close() {
        lock.withLock { running = false }
        while !lock.withLock({ threadDone }) { usleep(20_000) }
        if let tlsConnection { tlsConnection.close() } else { Glibc.close(sip.fd) }
    }
}
