import Foundation
import IVRTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A UDP socket on a loopback address for tests: send bytes, receive with a
/// timeout. The blocking `recvmsg` runs on a thread of its own, never on a
/// thread of the Swift concurrency pool (the server under test needs those).
/// Each datagram carries the kernel's receive stamp (`SO_TIMESTAMPNS`), so
/// timing checks do not depend on how fast the test reads.
final class UDPClient: @unchecked Sendable {
    // NOTE: `fd`, `host` and `port` are immutable; one test uses a client at a time.
    let fd: Int32
    let host: String
    let port: Int
    /// False when the asked-for port could not be had.
    let bound: Bool
    /// SO_TIMESTAMPNS on Linux (asm-generic; glibc's macro is not imported).
    static let timestampOption: Int32 = 35

    init(host: String = "127.0.0.1", port wanted: Int = 0) {
        self.host = host
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.fd = fd
        var addr = UDPClient.address(host, port: wanted)
        bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, UDPClient.timestampOption, &on, socklen_t(MemoryLayout<Int32>.size))
        var size: Int32 = 4 << 20
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    static func address(_ host: String, port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr(host)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        return addr
    }

    func send(_ bytes: [UInt8], toPort: Int) {
        var addr = UDPClient.address("127.0.0.1", port: toPort)
        _ = bytes.withUnsafeBytes { buf in
            withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, buf.baseAddress, buf.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            } }
        }
    }

    func send(_ text: String, toPort: Int) { send(Array(text.utf8), toPort: toPort) }

    /// The next datagram, or nil after `timeout` seconds.
    func receive(timeout: Double = 2) async -> [UInt8]? {
        await receiveStamped(timeout: timeout)?.bytes
    }

    /// The next datagram and its kernel receive time (ns, CLOCK_REALTIME), or nil after `timeout` seconds.
    func receiveStamped(timeout: Double = 2) async -> (bytes: [UInt8], nanoseconds: Int64)? {
        await onOwnThread { self.receiveBlocking(timeout: timeout) }
    }

    /// Blocks for one datagram, in slices of at most a second counted by
    /// `Patience` (a pause of the whole process does not use up the wait).
    func receiveBlocking(timeout: Double) -> (bytes: [UInt8], nanoseconds: Int64)? {
        var patience = Patience(seconds: timeout)
        while patience.another() {
            if let datagram = receiveOnce(timeout: patience.slice) { return datagram }
        }
        return nil
    }

    private func receiveOnce(timeout: Double) -> (bytes: [UInt8], nanoseconds: Int64)? {
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        var control = [UInt64](repeating: 0, count: 8)
        let (n, stamp) = buffer.withUnsafeMutableBytes { data in
            control.withUnsafeMutableBytes { controlBytes -> (Int, Int64) in
                var iov = iovec(iov_base: data.baseAddress, iov_len: data.count)
                return withUnsafeMutablePointer(to: &iov) { iovPointer in
                    var message = msghdr()
                    message.msg_iov = iovPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = controlBytes.count
                    let n = recvmsg(fd, &message, 0)
                    // cmsghdr: len (8), level (4), type (4), then the timespec.
                    guard n > 0, message.msg_controllen >= 32, controlBytes.load(fromByteOffset: 12, as: Int32.self) == UDPClient.timestampOption
                    else { return (n, 0) }
                    return (n, controlBytes.load(fromByteOffset: 16, as: Int64.self) * 1_000_000_000
                                + controlBytes.load(fromByteOffset: 24, as: Int64.self))
                }
            }
        }
        return n > 0 ? (Array(buffer.prefix(n)), stamp) : nil
    }

    /// Every datagram until `quiet` seconds pass without one.
    func drain(quiet: Double = 0.3) async -> [[UInt8]] {
        var all: [[UInt8]] = []
        while let bytes = await receive(timeout: quiet) { all.append(bytes) }
        return all
    }

    /// SIP messages until one satisfies `match` (others are collected), or nil.
    /// Waits for a message that `match`es (30 s of `Patience` by default: a wait that
    /// succeeds returns at once, and early in a full run on two cores the
    /// first packets of a call can take over 10 s).
    func receiveSIP(timeout: Double = 30, until match: (SIPMessageView) -> Bool) async -> (SIPMessageView?, [SIPMessageView]) {
        var seen: [SIPMessageView] = []
        var patience = Patience(seconds: timeout)
        while patience.another() {
            guard let bytes = await receive(timeout: patience.slice) else { continue }
            let view = SIPMessageView(text: String(decoding: bytes, as: UTF8.self))
            if match(view) { return (view, seen) }
            seen.append(view)
        }
        return (nil, seen)
    }
}

/// A received SIP message as text, with the bits tests look at.
struct SIPMessageView: Sendable {
    var text: String
    var firstLine: String { String(text.prefix { !$0.isNewline }) }
    var status: Int? { firstLine.hasPrefix("SIP/2.0 ") ? Int(firstLine.dropFirst(8).prefix(3)) : nil }
    var method: String? { firstLine.hasPrefix("SIP/2.0") ? nil : firstLine.split(separator: " ").first.map(String.init) }
    var isInviteResponse: Bool { status != nil && header("CSeq")?.hasSuffix("INVITE") == true }
    func header(_ name: String) -> String? {
        for line in text.components(separatedBy: "\r\n") where line.lowercased().hasPrefix(name.lowercased() + ":") {
            return String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
    /// The tag of the To header (the server's dialog tag in its responses).
    var toTag: String? { header("To")?.components(separatedBy: "tag=").dropFirst().first.map { String($0.prefix { $0 != ";" }) } }
    var body: String { text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n") }
    /// The port of the SDP's m=audio line.
    var audioPort: Int? { body.components(separatedBy: "m=audio ").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) } }
}
