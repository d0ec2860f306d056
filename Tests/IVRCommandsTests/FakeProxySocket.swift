import Foundation
import IVRTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A UDP socket on 127.0.0.1 (a free port) that plays a SIP proxy for the
/// built binary: it takes the requests sent to it and answers them back
/// to where they came from. Blocking reads run on a thread of their own.
final class FakeProxySocket: @unchecked Sendable {
    // NOTE: `fd` and `port` never change after init; one test uses a socket at a time.
    let fd: Int32
    let port: Int

    init() {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                bind(fd, sockaddrPointer, length) == 0 ? getsockname(fd, sockaddrPointer, &length) : -1
            }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }

    /// One datagram: its text and the sender's address.
    struct Datagram: Sendable {
        var text: String
        var from: sockaddr_in
        /// The request line (or status line).
        var firstLine: String { text.components(separatedBy: "\r\n").first ?? "" }

        /// Every value of the header `name` (full name, case-insensitive).
        func values(_ name: String) -> [String] {
            text.components(separatedBy: "\r\n").compactMap { line in
                guard let colon = line.firstIndex(of: ":"),
                      line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == name.lowercased() else { return nil }
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
    }

    /// The next datagram whose first line starts with `prefix`, or nil when
    /// none came within `timeout` seconds (others are skipped).
    func receive(startingWith prefix: String, timeout: Double) async -> Datagram? {
        let fd = self.fd
        return await onOwnThread {
            var patience = Patience(seconds: timeout)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while patience.another() {
                let left = patience.slice
                var wait = timeval(tv_sec: Int(left), tv_usec: Int((left - Double(Int(left))) * 1_000_000))
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
                var from = sockaddr_in()
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                let count = buffer.withUnsafeMutableBytes { bytes in
                    withUnsafeMutablePointer(to: &from) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            recvfrom(fd, bytes.baseAddress, bytes.count, 0, $0, &length)
                        }
                    }
                }
                guard count > 0 else {
                    if count < 0, errno == EINTR { continue }
                    if count < 0, errno != EAGAIN, errno != EWOULDBLOCK { return nil }
                    continue
                }
                let datagram = Datagram(text: String(decoding: buffer[..<count], as: UTF8.self), from: from)
                if datagram.firstLine.hasPrefix(prefix) { return datagram }
            }
            return nil
        }
    }

    /// Sends `text` to where `request` came from.
    func answer(_ request: Datagram, with text: String) {
        var to = request.from
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &to) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// A final response to `request` (RFC 3261 8.2.6: Via, From, Call-ID and
    /// CSeq copied, a tag added to To).
    func respond(to request: Datagram, _ status: String) {
        var lines = ["SIP/2.0 \(status)"]
        lines += request.values("Via").map { "Via: \($0)" }
        lines += request.values("From").map { "From: \($0)" }
        lines += request.values("To").map { "To: \($0);tag=proxy1" }
        lines += request.values("Call-ID").map { "Call-ID: \($0)" }
        lines += request.values("CSeq").map { "CSeq: \($0)" }
        answer(request, with: (lines + ["Content-Length: 0", "", ""]).joined(separator: "\r\n"))
    }
}
