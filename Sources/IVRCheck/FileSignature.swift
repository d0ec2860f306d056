/// What a file that is not a prompt is, from its first bytes: the magic
/// numbers of the formats most often saved under a `.wav` name by mistake,
/// and plain text. Used by `AudioFormat` for E213's message.
enum FileSignature {
    /// Magic bytes at offset 0 and what they mean.
    static let signatures: [(bytes: [UInt8], what: String)] = [
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
        (Array("GIF8".utf8), "a GIF image"),
        (Array("%PDF".utf8), "a PDF document"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (or an Office document)"),
        ([0x1F, 0x8B], "a gzip archive"),
        (Array("ID3".utf8), "an MP3 file (convert it to WAV)"),
        ([0xFF, 0xFB], "an MP3 file (convert it to WAV)"),
        ([0xFF, 0xF3], "an MP3 file (convert it to WAV)"),
        ([0xFF, 0xF2], "an MP3 file (convert it to WAV)"),
        (Array("OggS".utf8), "an Ogg file (convert it to WAV)"),
        (Array("fLaC".utf8), "a FLAC file (convert it to WAV)"),
    ]

    /// What `head` (a file's first bytes) is, or nil when it is none of the
    /// known formats and not text.
    static func identify(_ head: [UInt8]) -> String? {
        for (magic, what) in signatures where head.starts(with: magic) { return what }
        if head.count >= 12, head[0..<4].elementsEqual("RIFF".utf8) {
            return "a RIFF file that is not WAVE (\(String(decoding: head[8..<12], as: UTF8.self)))"
        }
        if head.count >= 8, head[4..<8].elementsEqual("ftyp".utf8) { return "an MP4/M4A file (convert it to WAV)" }
        return isText(head) ? "a text file" : nil
    }

    /// Every byte is printable ASCII, a tab or a line break, or part of a
    /// valid UTF-8 sequence (a cut at the end of `head` is allowed). PCM
    /// samples of real audio almost never are: they hold bytes below 0x20.
    static func isText(_ head: [UInt8]) -> Bool {
        guard !head.isEmpty else { return false }
        var i = 0
        while i < head.count {
            let b = head[i]
            if b == 0x09 || b == 0x0A || b == 0x0D || (b >= 0x20 && b < 0x7F) {
                i += 1
                continue
            }
            let length = b >= 0xF0 && b < 0xF5 ? 4 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0
            guard length > 0 else { return false }
            for k in 1..<length {
                if i + k >= head.count { return true } // cut by the read: the rest is not seen
                if head[i + k] & 0xC0 != 0x80 { return false }
            }
            i += length
        }
        return true
    }
}
