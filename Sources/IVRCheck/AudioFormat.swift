import Foundation

/// Reads just enough of a prompt file to tell whether a phone call can play
/// it as is: WAV 8 kHz mono PCM16, u-law or A-law; raw `.pcm` of even length
/// (8 kHz mono PCM16, little-endian).
///
/// A file that is not audio at all is `.notAudio` (E213): a `.wav` (or any
/// name but `.pcm`/`.raw`) without a RIFF/WAVE header and its `fmt ` chunk,
/// and a `.pcm`/`.raw` that is empty or is plainly something else (text, or
/// the signature of an image, a document, an archive or a compressed audio
/// format). Raw PCM has no header, so any other bytes are taken as samples.
/// A `.pcm` that holds a whole WAV file is audio, but the call would play its
/// header as noise: `.notReady` (W205), "rename it to .wav".
public enum AudioFormat {
    public enum Problem: Sendable, Equatable {
        /// Not audio at all: what the file is instead.
        case notAudio(String)
        /// Audio, but not telephony-ready: what differs.
        case notReady(String)
    }

    /// What is wrong with the file, or nil when it is telephony-ready.
    public static func problem(atPath path: String) -> Problem? {
        let lower = path.lowercased()
        guard let handle = FileHandle(forReadingAtPath: path) else { return .notReady("it cannot be read") }
        defer { try? handle.close() }
        let head = Array((try? handle.read(upToCount: 4096)) ?? Data())
        if lower.hasSuffix(".pcm") || lower.hasSuffix(".raw") {
            let size = (try? handle.seekToEnd()) ?? UInt64(head.count)
            if size == 0 { return .notAudio("the file is empty") }
            if WAVInfo(head) != nil {
                return .notReady("it is a WAV file, whose header would be played as raw samples; rename it to .wav")
            }
            if let other = FileSignature.identify(head) { return .notAudio(other) }
            return size % 2 == 0 ? nil : .notReady("raw PCM16 must have an even number of bytes (\(size))")
        }
        guard let info = WAVInfo(head) else {
            if head.isEmpty { return .notAudio("the file is empty") }
            if head.count >= 12, head[0..<4].elementsEqual("RIFF".utf8), head[8..<12].elementsEqual("WAVE".utf8) {
                return .notAudio("its WAV header has no 'fmt ' chunk (a damaged or truncated file)")
            }
            let what = FileSignature.identify(head) ?? "it has no RIFF/WAVE header"
            return .notAudio(lower.hasSuffix(".wav") ? what : "\(what) (prompts are .wav or raw .pcm)")
        }
        return info.telephonyProblem.map(Problem.notReady)
    }
}

/// The `fmt ` chunk of a RIFF/WAVE file.
public struct WAVInfo: Sendable, Equatable {
    public var format: UInt16
    public var channels: UInt16
    public var sampleRate: UInt32
    public var bitsPerSample: UInt16
    /// Offset and length of the `data` chunk, when it was found in the bytes given.
    public var dataOffset: Int?
    public var dataLength: Int?

    public static let pcm: UInt16 = 1, alaw: UInt16 = 6, mulaw: UInt16 = 7, extensible: UInt16 = 0xFFFE

    /// Parses the RIFF header and chunks; nil when this is not a WAV file.
    public init?(_ bytes: [UInt8]) {
        func u32(_ i: Int) -> UInt32? {
            guard i >= 0, i + 4 <= bytes.count else { return nil }
            return UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
        }
        func u16(_ i: Int) -> UInt16? {
            guard i >= 0, i + 2 <= bytes.count else { return nil }
            return UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
        }
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else {
            return nil
        }
        var offset = 12
        var fmt: (UInt16, UInt16, UInt32, UInt16)?
        while offset + 8 <= bytes.count {
            guard let size = u32(offset + 4) else { break }
            let id = bytes[offset..<offset + 4]
            if id.elementsEqual("fmt ".utf8), let f = u16(offset + 8), let c = u16(offset + 10),
               let r = u32(offset + 12), let b = u16(offset + 22) {
                var format = f
                if f == Self.extensible, let sub = u16(offset + 32) { format = sub }
                fmt = (format, c, r, b)
            } else if id.elementsEqual("data".utf8) {
                dataOffset = offset + 8
                dataLength = Int(size)
                break
            }
            let next = offset + 8 + Int(size) + Int(size & 1)
            guard next > offset else { break }
            offset = next
        }
        guard let fmt else { return nil }
        (format, channels, sampleRate, bitsPerSample) = fmt
    }

    /// Nil for 8 kHz mono PCM16, u-law or A-law; otherwise what differs.
    public var telephonyProblem: String? {
        var problems: [String] = []
        switch (format, bitsPerSample) {
        case (Self.pcm, 16), (Self.mulaw, 8), (Self.alaw, 8): break
        case (Self.pcm, let b): problems.append("\(b)-bit PCM (needs 16-bit)")
        default: problems.append("encoding \(format) (needs PCM16, u-law or A-law)")
        }
        if sampleRate != 8000 { problems.append("\(sampleRate) Hz (needs 8000 Hz)") }
        if channels != 1 { problems.append("\(channels) channels (needs mono)") }
        return problems.isEmpty ? nil : problems.joined(separator: ", ")
    }
}
