/// Reading and writing WAV files (RIFF/WAVE). Reads mono or stereo PCM16,
/// u-law (format 7) and A-law (format 6), plain or WAVE_FORMAT_EXTENSIBLE,
/// at any rate, and returns 8 kHz mono PCM16 (other rates resampled
/// linearly, stereo averaged). Writes 8 kHz mono PCM16.
public enum WAVFile {
    /// Why a file is not usable audio, in words for the operator.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Decoded audio: linear samples and the rate they were recorded at.
    public struct Audio: Sendable, Equatable {
        public var samples: [Int16]
        public var sampleRate: Int
    }

    /// Reads a WAV image and returns its samples at their own rate (mono).
    public static func decode(_ bytes: [UInt8]) throws(Problem) -> Audio {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else {
            throw Problem("not a WAV file (no RIFF/WAVE header)")
        }
        var offset = 12
        var format: (tag: Int, channels: Int, rate: Int, bits: Int)?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(le32(bytes, offset + 4))
            let start = offset + 8
            let end = min(bytes.count, start + size)
            if id == "fmt " {
                guard end - start >= 16 else { throw Problem("WAV fmt chunk too short") }
                var tag = Int(le16(bytes, start))
                if tag == 0xFFFE, end - start >= 26 { tag = Int(le16(bytes, start + 24)) }
                format = (tag, Int(le16(bytes, start + 2)), Int(le32(bytes, start + 4)), Int(le16(bytes, start + 14)))
            } else if id == "data" {
                guard let f = format else { throw Problem("WAV data chunk before its fmt chunk") }
                return try samples(Array(bytes[start..<end]), tag: f.tag, channels: f.channels, rate: f.rate, bits: f.bits)
            }
            offset = start + size + (size & 1)
        }
        throw Problem(format == nil ? "WAV file without a fmt chunk" : "WAV file without a data chunk")
    }

    static func samples(_ data: [UInt8], tag: Int, channels: Int, rate: Int, bits: Int) throws(Problem) -> Audio {
        guard (1...2).contains(channels) else { throw Problem("WAV with \(channels) channels (mono or stereo only)") }
        guard (4_000...192_000).contains(rate) else { throw Problem("WAV sample rate \(rate) Hz is out of range") }
        var mono: [Int16]
        switch (tag, bits) {
        case (1, 16):
            mono = stride(from: 0, to: data.count - 1, by: 2).map { Int16(bitPattern: le16(data, $0)) }
        case (7, 8): mono = data.map(G711.ulawDecode)
        case (6, 8): mono = data.map(G711.alawDecode)
        case (1, _): throw Problem("WAV PCM with \(bits) bits per sample (16-bit only; convert with sox -b 16)")
        default: throw Problem("WAV format \(tag) is not PCM16, u-law or A-law")
        }
        if channels == 2 {
            let interleaved = mono
            mono = stride(from: 0, to: interleaved.count - 1, by: 2).map { (i: Int) -> Int16 in
                let sum = Int(interleaved[i]) + Int(interleaved[i + 1])
                return Int16(sum / 2)
            }
        }
        return Audio(samples: mono, sampleRate: rate)
    }

    /// The samples at 8 kHz, mono.
    public static func read8k(_ bytes: [UInt8]) throws(Problem) -> [Int16] {
        let audio = try decode(bytes)
        return Resampler.linear(audio.samples, from: audio.sampleRate, to: 8000)
    }

    /// A WAV image: PCM16 at `rate`, mono, or with `channels` interleaved
    /// in `samples` (stereo: left, right, left, ...).
    public static func encode(_ samples: [Int16], rate: Int = 8000, channels: Int = 1) -> [UInt8] {
        let dataSize = samples.count * 2
        var out: [UInt8] = []
        out.reserveCapacity(44 + dataSize)
        out += Array("RIFF".utf8); out += u32(UInt32(36 + dataSize)); out += Array("WAVE".utf8)
        out += Array("fmt ".utf8); out += u32(16); out += u16(1); out += u16(UInt16(channels))
        out += u32(UInt32(rate)); out += u32(UInt32(rate * 2 * channels)); out += u16(UInt16(2 * channels)); out += u16(16)
        out += Array("data".utf8); out += u32(UInt32(dataSize))
        for s in samples { out += u16(UInt16(bitPattern: s)) }
        return out
    }

    static func le16(_ b: [UInt8], _ i: Int) -> UInt16 {
        guard i + 1 < b.count else { return 0 }
        return UInt16(b[i]) | UInt16(b[i + 1]) << 8
    }

    static func le32(_ b: [UInt8], _ i: Int) -> UInt32 {
        guard i + 3 < b.count else { return 0 }
        return UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }

    static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }
}

/// Sample-rate conversion by linear interpolation: good enough for voice
/// prompts going to 8 kHz telephony (no anti-alias filter: prompts should
/// be prepared at 8 kHz; this keeps other rates usable).
public enum Resampler {
    public static func linear(_ input: [Int16], from source: Int, to target: Int) -> [Int16] {
        guard source != target, source > 0, target > 0, !input.isEmpty else { return input }
        let count = Int((Int64(input.count) * Int64(target)) / Int64(source))
        var out = [Int16](repeating: 0, count: count)
        let step = Double(source) / Double(target)
        for i in 0..<count {
            let position = Double(i) * step
            let j = Int(position)
            let fraction = position - Double(j)
            let a = Double(input[min(j, input.count - 1)])
            let b = Double(input[min(j + 1, input.count - 1)])
            out[i] = Int16(clamping: Int((a + (b - a) * fraction).rounded()))
        }
        return out
    }
}
