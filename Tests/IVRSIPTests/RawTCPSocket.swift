import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking TCP socket to 127.0.0.1 for the hostile-input tests:
/// thousands of them are cheap, and a blocking `send` tells how many bytes
/// the server took before it closed the connection. Blocking calls belong
/// on a thread of their own (`onOwnThread`).
final class RawTCPSocket: @unchecked Sendable {
    // NOTE: `fd` is immutable; each socket is used by one test at a time.
    let fd: Int32

    /// Connects (blocking) to 127.0.0.1:`port`; nil when the connect fails.
    /// `sendBuffer`: SO_SNDBUF, so few bytes wait in the kernel; `sendTimeout`: seconds a `send` may block.
    init?(port: Int, sendBuffer: Int32? = nil, sendTimeout: Int = 30) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        if var size = sendBuffer { setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var timeout = timeval(tv_sec: sendTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = UDPClient.address("127.0.0.1", port: port)
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
    }

    deinit { Glibc.close(fd) }

    /// Sends all of `bytes`; false once the connection refuses more (closed or reset).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    /// Whether the server has closed the connection (a read sees the end or a reset); never blocks.
    var isClosedByPeer: Bool {
        var byte: UInt8 = 0
        while true {
            let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
            if n == 0 { return true }
            if n < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
            // Data the server sent (a 400): read on to the end.
        }
    }
}
