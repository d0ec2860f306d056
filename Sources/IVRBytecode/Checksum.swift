/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial and final
/// value 0xFFFFFFFF): the checksum of zlib and PNG. `crc32("123456789")`
/// is 0xCBF43926.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        update(0xFFFF_FFFF, bytes) ^ 0xFFFF_FFFF
    }

    /// The bundle's checksum: every byte except the checksum field itself.
    public static func bundleChecksum(_ bytes: [UInt8]) -> UInt32 {
        let field = BundleFormat.checksumOffset..<BundleFormat.checksumOffset + 4
        var crc = update(0xFFFF_FFFF, bytes[0..<min(field.lowerBound, bytes.count)])
        if bytes.count > field.upperBound { crc = update(crc, bytes[field.upperBound...]) }
        return crc ^ 0xFFFF_FFFF
    }

    private static func update(_ start: UInt32, _ bytes: some Collection<UInt8>) -> UInt32 {
        var crc = start
        let table = Self.table
        for b in bytes {
            crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8)
        }
        return crc
    }
}
