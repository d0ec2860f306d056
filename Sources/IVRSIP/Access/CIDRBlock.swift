import NIOCore

/// An address block in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`,
/// or one address, which is a /32 or /128): what `sip.inbound.allow` lists.
public struct CIDRBlock: Sendable, Equatable, CustomStringConvertible {
    /// The network address's bytes (4 or 16).
    public let network: [UInt8]
    public let prefixLength: Int

    /// Nil when the text is not an IPv4/IPv6 address with an optional
    /// prefix length in range. Host bits beyond the prefix are ignored
    /// (`10.1.2.3/8` is `10.0.0.0/8`).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.addressBytes(String(parts[0])) else { return nil }
        let maxLength = bytes.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard parts[1].count <= 3, parts[1].allSatisfy(\.isASCIIDigit), let n = Int(parts[1]), n <= maxLength else { return nil }
            length = n
        }
        prefixLength = length
        network = Self.masked(bytes, length)
    }

    /// True when `address` (an IP address) is inside the block. An IPv4
    /// address written as IPv6 (`::ffff:203.0.113.5`) counts as IPv4.
    public func contains(_ address: SocketAddress) -> Bool {
        guard let ip = address.ipAddress, var bytes = Self.addressBytes(ip) else { return false }
        if bytes.count == 16, network.count == 4, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == network.count else { return false }
        return Self.masked(bytes, prefixLength) == network
    }

    public var description: String {
        let address = (try? SocketAddress(packedIPAddress: ByteBuffer(bytes: network), port: 0))?.ipAddress ?? "?"
        return "\(address)/\(prefixLength)"
    }

    static func addressBytes(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.count <= 45, let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default:
            return nil
        }
    }

    static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { i, b in
            let bits = max(0, min(8, length - 8 * i))
            return bits == 8 ? b : bits == 0 ? 0 : b & UInt8(0xFF << (8 - bits) & 0xFF)
        }
    }
}
