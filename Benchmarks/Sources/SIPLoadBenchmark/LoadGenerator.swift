import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// N raw-UDP SIP callers on two sockets: one for SIP (calls told apart by
/// Call-ID), one for RTP (calls told apart by the server's RTP source port,
/// learnt from each 200 OK's SDP). Two threads receive; arrival times are
/// taken from the monotonic clock as each datagram is read.
final class LoadGenerator: @unchecked Sendable {
    // NOTE: the call table is guarded by `lock`; the sockets are used by one thread each for receiving.
    let sip: Int32
    let rtp: Int32
    let sipPort: Int
    let calls: Int
    let lock = NSLock()
    var inviteSent = [UInt64](repeating: 0, count: 0)
    var firstRTP: [UInt64]
    var callByRTPPort: [Int: Int] = [:]
    var toTags: [String?]
    var lastArrival: [UInt64]
    var gaps: [Double] = []
    var measuring = false
    var received = 0
    var running = true
    let localSIP: Int
    let localRTP: Int

    init(sipPort: Int, calls: Int) throws {
        self.sipPort = sipPort
        self.calls = calls
        (sip, localSIP) = LoadGenerator.socket()
        (rtp, localRTP) = LoadGenerator.socket()
        var size: Int32 = 8 << 20
        setsockopt(rtp, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(sip, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        firstRTP = Array(repeating: 0, count: calls)
        lastArrival = Array(repeating: 0, count: calls)
        toTags = Array(repeating: nil, count: calls)
        inviteSent = Array(repeating: 0, count: calls)
    }

    static func socket() -> (Int32, Int) {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func send(_ text: String, fd: Int32, port: Int) {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { buf in
            withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, buf.baseAddress, buf.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            } }
        }
    }

    func request(_ method: String, call i: Int, cseq: Int, toTag: String? = nil, body: String = "") -> String {
        var s = "\(method) sip:100@127.0.0.1:\(sipPort) SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:\(localSIP);branch=z9hG4bK\(i)x\(cseq)\(method)\r\n"
        s += "From: <sip:load\(i)@127.0.0.1>;tag=L\(i)\r\nTo: <sip:100@127.0.0.1>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
        s += "Call-ID: load-\(i)\r\nCSeq: \(cseq) \(method)\r\nContact: <sip:load\(i)@127.0.0.1:\(localSIP)>\r\nMax-Forwards: 70\r\n"
        if !body.isEmpty { s += "Content-Type: application/sdp\r\n" }
        return s + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    /// Places every call, waits for each first RTP packet, then measures jitter.
    func run(measureSeconds: Double) -> LoadResult {
        Thread { self.sipLoop() }.start()
        Thread { self.rtpLoop() }.start()
        let offer = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio \(localRTP) RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:20\r\n"
        let start = LoadGenerator.now()
        for i in 0..<calls {
            lock.withLock { inviteSent[i] = LoadGenerator.now() }
            send(request("INVITE", call: i, cseq: 1, body: offer), fd: sip, port: sipPort)
        }
        let deadline = start + 30_000_000_000
        while LoadGenerator.now() < deadline, lock.withLock({ firstRTP.contains(0) }) { usleep(10_000) }
        let (setupEnd, latencies, up) = lock.withLock { () -> (UInt64, [Double], Int) in
            let up = firstRTP.filter { $0 != 0 }
            let lat = zip(firstRTP, inviteSent).filter { $0.0 != 0 }.map { Double($0.0 - $0.1) / 1e6 }
            return (up.max() ?? start, lat, up.count)
        }
        lock.withLock { measuring = true; received = 0; gaps.removeAll(keepingCapacity: true) }
        usleep(UInt32(measureSeconds * 1_000_000))
        let (gapList, got) = lock.withLock { measuring = false; return (gaps, received) }
        return LoadResult(calls: calls, up: up, setupSeconds: Double(setupEnd - start) / 1e9, setupLatencies: latencies,
                          gaps: gapList, received: got, expected: Int(Double(up) * measureSeconds * 50))
    }

    func sipLoop() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while lock.withLock({ running }) {
            let n = recv(sip, &buffer, buffer.count, 0)
            guard n > 0 else { continue }
            let text = String(decoding: buffer.prefix(n), as: UTF8.self)
            guard text.hasPrefix("SIP/2.0 200"), text.contains("INVITE\r\n"),
                  let idRange = text.range(of: "Call-ID: load-"),
                  let i = Int(text[idRange.upperBound...].prefix { $0.isNumber }), i < calls else {
                if text.hasPrefix("BYE") || text.hasPrefix("OPTIONS") { answer(text) }
                continue
            }
            let tag = text.range(of: ";tag=", range: (text.range(of: "\r\nTo:")?.upperBound ?? text.startIndex)..<text.endIndex)
                .map { String(text[$0.upperBound...].prefix { !$0.isNewline && $0 != ";" }) }
            let port = text.range(of: "m=audio ").flatMap { Int(text[$0.upperBound...].prefix { $0.isNumber }) }
            lock.withLock {
                toTags[i] = tag
                if let port { callByRTPPort[port] = i }
            }
            send(request("ACK", call: i, cseq: 1, toTag: tag), fd: sip, port: sipPort)
        }
    }

    /// 200 OK to a server-initiated request (copying its headers).
    func answer(_ text: String) {
        let lines = text.components(separatedBy: "\r\n")
        let keep = lines.filter { l in ["via:", "from:", "to:", "call-id:", "cseq:"].contains { l.lowercased().hasPrefix($0) } }
        send("SIP/2.0 200 OK\r\n" + keep.joined(separator: "\r\n") + "\r\nContent-Length: 0\r\n\r\n", fd: sip, port: sipPort)
    }

    func rtpLoop() {
        var buffer = [UInt8](repeating: 0, count: 2048)
        var from = sockaddr_in()
        while lock.withLock({ running }) {
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let n = withUnsafeMutablePointer(to: &from) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(rtp, &buffer, buffer.count, 0, $0, &len) } }
            let t = LoadGenerator.now()
            guard n >= 12 else { continue }
            let port = Int(UInt16(bigEndian: from.sin_port))
            lock.withLock {
                guard let i = callByRTPPort[port] else { return }
                if firstRTP[i] == 0 { firstRTP[i] = t }
                if measuring {
                    received += 1
                    if lastArrival[i] != 0 { gaps.append(Double(t - lastArrival[i]) / 1e6) }
                }
                lastArrival[i] = t
            }
        }
    }

    func hangUpAll() {
        for i in 0..<calls {
            let tag = lock.withLock { toTags[i] }
            send(request("BYE", call: i, cseq: 2, toTag: tag), fd: sip, port: sipPort)
            if i % 50 == 49 { usleep(2000) }
        }
    }

    func close() {
        lock.withLock { running = false }
        usleep(300_000)
        Glibc.close(sip)
        Glibc.close(rtp)
    }
}
