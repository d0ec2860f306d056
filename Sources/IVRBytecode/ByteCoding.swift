/// Appends the bundle's primitive encodings: unsigned LEB128 integers,
/// little-endian fixed-width words, length-prefixed UTF-8.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var count: Int { bytes.count }

    public mutating func byte(_ b: UInt8) { bytes.append(b) }

    public mutating func raw(_ b: some Sequence<UInt8>) { bytes.append(contentsOf: b) }

    /// Unsigned LEB128: seven bits per byte, low group first, high bit = more.
    public mutating func leb(_ value: UInt64) {
        var v = value
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            bytes.append(b)
        } while v != 0
    }

    public mutating func leb(_ value: Int) { leb(UInt64(max(0, value))) }

    public mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }

    public mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8((value >> UInt64(shift)) & 0xFF)) }
    }

    /// Overwrites four bytes at `offset` (for offsets known only later).
    public mutating func patchU32(_ value: UInt32, at offset: Int) {
        for i in 0..<4 { bytes[offset + i] = UInt8((value >> UInt32(8 * i)) & 0xFF) }
    }

    public mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        leb(utf8.count)
        bytes.append(contentsOf: utf8)
    }
}

/// Reads what `ByteWriter` writes, from a bounded slice of the bundle. Every
/// read checks its bounds and throws `BundleError` instead of trapping.
public struct ByteReader {
    public let bytes: [UInt8]
    public private(set) var position: Int
    public let end: Int
    /// What is being read, for error messages ("string pool", "flow table").
    public let what: String

    public init(_ bytes: [UInt8], from start: Int, to end: Int, what: String) {
        self.bytes = bytes
        self.position = start
        self.end = min(end, bytes.count)
        self.what = what
    }

    public var isAtEnd: Bool { position >= end }

    public mutating func byte() throws(BundleError) -> UInt8 {
        guard position < end else { throw .truncated(what) }
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads a LEB128 of at most 10 bytes whose value fits 64 bits.
    public mutating func leb() throws(BundleError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            if shift == 63, b > 1 { throw .malformed("\(what): integer does not fit 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw .malformed("\(what): integer longer than 10 bytes") }
        }
    }

    /// A LEB128 that must be below `limit` (an index or a count).
    public mutating func index(below limit: Int, _ name: String) throws(BundleError) -> Int {
        let v = try leb()
        guard v < UInt64(limit) else { throw .outOfRange("\(what): \(name) \(v) out of range (\(limit) available)") }
        return Int(v)
    }

    /// A count bounded by the bytes left, so a hostile count cannot make us allocate.
    public mutating func count(_ name: String, minBytesEach: Int = 1) throws(BundleError) -> Int {
        let v = try leb()
        let left = UInt64(max(0, end - position))
        guard v <= left / UInt64(max(1, minBytesEach)) else {
            throw .truncated("\(what): \(name) count \(v) exceeds the bytes left")
        }
        return Int(v)
    }

    public mutating func u32() throws(BundleError) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(try byte()) << UInt32(8 * i) }
        return v
    }

    public mutating func u64() throws(BundleError) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(try byte()) << UInt64(8 * i) }
        return v
    }

    public mutating func string() throws(BundleError) -> String {
        let n = try count("string length")
        let slice = bytes[position..<position + n]
        position += n
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw .malformed("\(what): string is not valid UTF-8")
        }
        return s
    }
}
