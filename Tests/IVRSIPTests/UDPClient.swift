import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking UDP socket on 127.0.0.1 for tests: send bytes, receive with a timeout.
final class UDPClient {
    let fd: Int32
    let port: Int

    init() {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.fd = fd
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: bound.sin_port))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8], toPort: Int) {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(toPort).bigEndian)
        _ = bytes.withUnsafeBytes { buf in
            withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, buf.baseAddress, buf.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            } }
        }
    }

    func send(_ text: String, toPort: Int) { send(Array(text.utf8), toPort: toPort) }

    /// The next datagram, or nil after `timeout` seconds.
    func receive(timeout: Double = 2) -> [UInt8]? {
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? Array(buffer.prefix(n)) : nil
    }

    /// SIP messages until one satisfies `match` (others are collected), or nil.
    func receiveSIP(timeout: Double = 3, until match: (SIPMessageView) -> Bool) -> (SIPMessageView?, [SIPMessageView]) {
        var seen: [SIPMessageView] = []
        let end = Date().addingTimeInterval(timeout)
        while Date() < end, let bytes = receive(timeout: max(0.05, end.timeIntervalSinceNow)) {
            let view = SIPMessageView(text: String(decoding: bytes, as: UTF8.self))
            if match(view) { return (view, seen) }
            seen.append(view)
        }
        return (nil, seen)
    }
}

/// A received SIP message as text, with the bits tests look at.
struct SIPMessageView {
    var text: String
    var firstLine: String { String(text.prefix { !$0.isNewline }) }
    var status: Int? { firstLine.hasPrefix("SIP/2.0 ") ? Int(firstLine.dropFirst(8).prefix(3)) : nil }
    var method: String? { firstLine.hasPrefix("SIP/2.0") ? nil : firstLine.split(separator: " ").first.map(String.init) }
    func header(_ name: String) -> String? {
        for line in text.components(separatedBy: "\r\n") where line.lowercased().hasPrefix(name.lowercased() + ":") {
            return String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
    var body: String { text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n") }
}
