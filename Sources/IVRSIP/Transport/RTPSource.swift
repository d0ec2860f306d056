import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a datagram came from, as the kernel gave it: the address family,
/// port and address bytes, compared as numbers.
///
/// A media session checks every received packet's source against the one
/// it latched (`MediaSession.received`); comparing two of these costs a few
/// integer compares, where a `SocketAddress` would first format the
/// address as text. A `SocketAddress` is made only when a new source is
/// latched (`socketAddress`).
struct RTPSource: Equatable, Sendable {
    var family: sa_family_t
    /// Host byte order.
    var port: UInt16
    /// The address bytes in network order: IPv4 in the first 4 bytes of
    /// `high`, IPv6 across both.
    var high: UInt64
    var low: UInt64

    /// Reads an IPv4 or IPv6 source out of `storage` (nil for any other family).
    init?(_ storage: sockaddr_storage) {
        var copy = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let v4 = withUnsafeBytes(of: &copy) { $0.load(as: sockaddr_in.self) }
            family = sa_family_t(AF_INET)
            port = UInt16(bigEndian: v4.sin_port)
            high = UInt64(v4.sin_addr.s_addr)
            low = 0
        case AF_INET6:
            let v6 = withUnsafeBytes(of: &copy) { $0.load(as: sockaddr_in6.self) }
            family = sa_family_t(AF_INET6)
            port = UInt16(bigEndian: v6.sin6_port)
            (high, low) = withUnsafeBytes(of: v6.sin6_addr) { ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        default:
            return nil
        }
    }

    /// The address as text (`inet_ntop`): "127.0.0.1", "::1".
    var ipAddress: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var bytes = (high, low)
        let family = Int32(self.family)
        let written = withUnsafeBytes(of: &bytes) { raw in
            text.withUnsafeMutableBufferPointer { inet_ntop(family, raw.baseAddress, $0.baseAddress, socklen_t($0.count)) }
        }
        guard written != nil else { return "" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The source as NIO's address (what packets are sent back to).
    var socketAddress: SocketAddress? {
        try? SocketAddress(ipAddress: ipAddress, port: Int(port))
    }
}
