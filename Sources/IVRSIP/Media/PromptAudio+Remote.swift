import Foundation

/// Prompts at URLs (`play: https://cdn.example/welcome.wav`): downloaded by
/// the caller-supplied `fetch` (the server's HTTP client), decoded like a
/// file, and cached by URL with the files. Calls that start together while a
/// URL is downloading wait for the same download. A failed download is not
/// cached: the next call tries again.
extension PromptAudio {
    /// Whether a `play` file names a URL rather than a file.
    public static func isURL(_ name: String) -> Bool {
        let lower = name.prefix(8).lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    /// The samples of the prompt at `url`.
    public func samples(forURL url: String,
                        fetch: @escaping @Sendable (String) async throws -> [UInt8]) async throws -> [Int16] {
        if let hit = cache.withLock({ $0[url] }) { return hit }
        let task = downloads.withLock { running in
            if let task = running[url] { return task }
            let task = Task<[Int16], any Error> { try Self.decode(downloaded: try await fetch(url), from: url) }
            running[url] = task
            return task
        }
        do {
            let samples = try await task.value
            remember(samples, as: url)
            downloads.withLock { _ = $0.removeValue(forKey: url) }
            return samples
        } catch {
            downloads.withLock { _ = $0.removeValue(forKey: url) }
            throw error
        }
    }

    /// Decodes a downloaded prompt: a WAV file (by its `RIFF` header, whatever
    /// the URL says), else raw 8 kHz PCM16 when the URL's path ends in `.pcm`
    /// or `.raw`.
    public static func decode(downloaded bytes: [UInt8], from url: String) throws(WAVFile.Problem) -> [Int16] {
        if bytes.starts(with: Array("RIFF".utf8)) { return try WAVFile.read8k(bytes) }
        let path = URL(string: url)?.path.lowercased() ?? ""
        if path.hasSuffix(".pcm") || path.hasSuffix(".raw") {
            return stride(from: 0, to: bytes.count - 1, by: 2).map {
                Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8)
            }
        }
        throw WAVFile.Problem("'\(url)' is not a WAV file (no RIFF header) nor a .pcm/.raw URL")
    }
}
