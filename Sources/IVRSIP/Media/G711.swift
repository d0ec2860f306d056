/// G.711 companding (ITU-T G.711): 16-bit linear PCM to and from 8-bit
/// u-law (PCMU, payload type 0) and A-law (PCMA, payload type 8).
/// Encoders compute segment and mantissa once per possible sample, into
/// 65,536-entry tables (64 KB per law, built on first use), so the RTP
/// sender encodes a 20 ms frame with 160 table reads; decoders use
/// 256-entry tables.
public enum G711 {
    // MARK: u-law

    static let ulawBias = 0x84
    static let ulawClip = 32_635

    public static func ulawEncode(_ sample: Int16) -> UInt8 {
        var s = Int(sample)
        let sign = s < 0 ? 0x80 : 0
        if s < 0 { s = -s }
        s = min(s, ulawClip) + ulawBias
        var exponent = 7
        var mask = 0x4000
        while exponent > 0, s & mask == 0 {
            exponent -= 1
            mask >>= 1
        }
        let mantissa = (s >> (exponent + 3)) & 0x0F
        return ~UInt8(sign | exponent << 4 | mantissa)
    }

    static func ulawDecodeSlow(_ byte: UInt8) -> Int16 {
        let u = Int(~byte)
        let exponent = (u >> 4) & 0x07
        let mantissa = u & 0x0F
        let magnitude = ((mantissa << 3) + ulawBias) << exponent - ulawBias
        return Int16(u & 0x80 != 0 ? -magnitude : magnitude)
    }

    static let ulawTable: [Int16] = (0...255).map { ulawDecodeSlow(UInt8($0)) }

    public static func ulawDecode(_ byte: UInt8) -> Int16 { ulawTable[Int(byte)] }

    // MARK: A-law

    /// Upper bounds of the eight A-law segments, on 13-bit magnitudes.
    static let alawSegmentEnds = [0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF]

    public static func alawEncode(_ sample: Int16) -> UInt8 {
        var s = Int(sample) >> 3
        let mask: Int
        if s >= 0 {
            mask = 0xD5
        } else {
            mask = 0x55
            s = -s - 1
        }
        guard let segment = alawSegmentEnds.firstIndex(where: { s <= $0 }) else { return UInt8(0x7F ^ mask) }
        var value = segment << 4
        value |= segment < 2 ? (s >> 1) & 0x0F : (s >> segment) & 0x0F
        return UInt8(value ^ mask)
    }

    static func alawDecodeSlow(_ byte: UInt8) -> Int16 {
        let a = Int(byte) ^ 0x55
        var t = (a & 0x0F) << 4
        let segment = (a & 0x70) >> 4
        switch segment {
        case 0: t += 8
        case 1: t += 0x108
        default: t = (t + 0x108) << (segment - 1)
        }
        return Int16(a & 0x80 != 0 ? t : -t)
    }

    static let alawTable: [Int16] = (0...255).map { alawDecodeSlow(UInt8($0)) }

    public static func alawDecode(_ byte: UInt8) -> Int16 { alawTable[Int(byte)] }

    // MARK: Buffers

    static let ulawEncodeTable: [UInt8] = (0...0xFFFF).map { ulawEncode(Int16(bitPattern: UInt16($0))) }
    static let alawEncodeTable: [UInt8] = (0...0xFFFF).map { alawEncode(Int16(bitPattern: UInt16($0))) }

    static func encodeTable(_ codec: SDPNegotiator.Codec) -> [UInt8] {
        codec == .pcmu ? ulawEncodeTable : alawEncodeTable
    }

    public static func encode(_ samples: some Collection<Int16>, codec: SDPNegotiator.Codec) -> [UInt8] {
        let table = encodeTable(codec)
        return samples.map { table[Int(UInt16(bitPattern: $0))] }
    }

    /// Encodes `samples` into the first `samples.count` bytes of `out` and
    /// fills the rest of `out` with silence.
    static func encode(_ samples: ArraySlice<Int16>, codec: SDPNegotiator.Codec, into out: UnsafeMutableRawBufferPointer) {
        let count = min(samples.count, out.count)
        encodeTable(codec).withUnsafeBufferPointer { table in
            samples.withUnsafeBufferPointer { input in
                for i in 0..<count { out[i] = table[Int(UInt16(bitPattern: input[i]))] }
            }
        }
        let quiet = silence(codec)
        for i in count..<out.count { out[i] = quiet }
    }

    public static func decode(_ bytes: some Collection<UInt8>, codec: SDPNegotiator.Codec) -> [Int16] {
        switch codec {
        case .pcmu: bytes.map(ulawDecode)
        case .pcma: bytes.map(alawDecode)
        }
    }

    // MARK: Transcoding

    /// PCMU byte to the PCMA byte of the same level, and back (a bridge
    /// whose legs agreed different codecs): one table read per sample.
    static let ulawToAlaw: [UInt8] = (0...255).map { alawEncode(ulawDecode(UInt8($0))) }
    static let alawToUlaw: [UInt8] = (0...255).map { ulawEncode(alawDecode(UInt8($0))) }

    /// `payload` in `from` re-encoded in `to` (the bytes themselves when the codecs are the same).
    public static func transcode(_ payload: [UInt8], from: SDPNegotiator.Codec, to: SDPNegotiator.Codec) -> [UInt8] {
        guard let table = table(from: from, to: to) else { return payload }
        return payload.map { table[Int($0)] }
    }

    /// The byte-for-byte table from one codec to the other; nil for the same codec.
    static func table(from: SDPNegotiator.Codec, to: SDPNegotiator.Codec) -> [UInt8]? {
        guard from != to else { return nil }
        return from == .pcmu ? ulawToAlaw : alawToUlaw
    }

    /// The byte for digital silence.
    public static func silence(_ codec: SDPNegotiator.Codec) -> UInt8 { codec == .pcmu ? 0xFF : 0xD5 }
}
