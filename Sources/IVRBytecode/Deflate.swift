import CZlib

/// Raw DEFLATE (RFC 1951, no zlib or gzip wrapper) through the system zlib,
/// with an optional preset dictionary.
///
/// Settings are fixed, so the same input always gives the same bytes with a
/// given zlib: level 9, a 32 KiB window, memory level 9, the default strategy.
/// Inflating is strict: the output must be exactly the declared size and the
/// input must end exactly where the stream ends. Memory is bounded by the
/// declared size, which the caller has already capped.
public enum Deflate {
    public static let level: Int32 = 9
    /// log2 of the window; passed negated, which asks zlib for raw DEFLATE.
    public static let windowBits: Int32 = 15
    public static let memoryLevel: Int32 = 9

    /// Compresses `bytes`; nil only if zlib itself fails (out of memory).
    public static func compress(_ bytes: [UInt8], dictionary: [UInt8] = []) -> [UInt8]? {
        guard bytes.count < Int(UInt32.max) / 2 else { return nil }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard czlib_deflate_init(stream, level, -windowBits, memoryLevel, Z_DEFAULT_STRATEGY) == Z_OK else { return nil }
        defer { deflateEnd(stream) }
        if !dictionary.isEmpty {
            let rc = dictionary.withUnsafeBufferPointer { d in
                deflateSetDictionary(stream, d.baseAddress, UInt32(d.count))
            }
            guard rc == Z_OK else { return nil }
        }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(bytes.count))) + 64)
        let rc = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = UInt32(input.count)
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = UInt32(out.count)
                return deflate(stream, Z_FINISH)
            }
        }
        guard rc == Z_STREAM_END else { return nil }
        output.removeSubrange(Int(stream.pointee.total_out)...)
        return output
    }

    /// Inflates `input` into exactly `size` bytes. `what` names the section
    /// in messages. Throws for corrupt data, a stream that ends early, one
    /// that inflates to more or fewer bytes than declared, and bytes left
    /// after the end of the stream.
    public static func inflate(_ input: ArraySlice<UInt8>, size: Int, dictionary: [UInt8] = [],
                               what: String) throws(BundleError) -> [UInt8] {
        guard size >= 0, size < Int(UInt32.max) - 1, input.count < Int(UInt32.max) else {
            throw .outOfRange("the \(what) section is too large")
        }
        // One spare byte: filling it proves the stream holds more than declared.
        var output = [UInt8](repeating: 0, count: size + 1)
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard czlib_inflate_init(stream, -windowBits) == Z_OK else {
            throw .malformed("the \(what) section: zlib could not start inflating")
        }
        defer { inflateEnd(stream) }
        if !dictionary.isEmpty {
            let rc = dictionary.withUnsafeBufferPointer { d in
                inflateSetDictionary(stream, d.baseAddress, UInt32(d.count))
            }
            guard rc == Z_OK else { throw .malformed("the \(what) section: zlib refused the dictionary") }
        }
        let rc = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { out in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.pointee.avail_in = UInt32(inBuffer.count)
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = UInt32(out.count)
                return CZlib.inflate(stream, Z_FINISH)
            }
        }
        let produced = output.count - Int(stream.pointee.avail_out)
        let left = Int(stream.pointee.avail_in)
        let prefix = "the \(what) section"
        switch rc {
        case Z_STREAM_END:
            guard produced <= size else { throw .malformed("\(prefix) inflates to more than the declared \(size) bytes") }
            guard produced == size else {
                throw .malformed("\(prefix) inflates to \(produced) bytes, not the declared \(size)")
            }
            guard left == 0 else { throw .malformed("\(prefix) has \(left) stray bytes after its compressed data") }
            output.removeLast()
            return output
        case Z_OK, Z_BUF_ERROR:
            if stream.pointee.avail_out == 0 {
                throw .malformed("\(prefix) inflates to more than the declared \(size) bytes")
            }
            throw .truncated("\(prefix)'s compressed data ends early")
        case Z_DATA_ERROR:
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
            throw .malformed("\(prefix)'s compressed data is corrupt (\(reason))")
        case Z_MEM_ERROR:
            throw .malformed("\(prefix): out of memory while inflating")
        default:
            throw .malformed("\(prefix): zlib error \(rc)")
        }
    }
}
