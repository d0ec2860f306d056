import Synchronization
import Foundation

/// Prompt files to 8 kHz PCM16 samples: `.wav` (see `WAVFile`) and raw
/// `.pcm` (8 kHz PCM16 little-endian). Relative names are looked up in the
/// search folders in order. Decoded prompts are kept in a bounded cache.
/// Prompts at `https://` URLs are downloaded once (see `PromptAudio+Remote.swift`).
public final class PromptAudio: Sendable {
    public let folders: [String]
    /// Decoded prompts by path or URL.
    let cache = Mutex<[String: [Int16]]>([:])
    /// Downloads under way, by URL, so that calls starting together share one.
    let downloads = Mutex<[String: Task<[Int16], any Error>]>([:])
    /// Cached samples in total beyond which the cache is emptied (~ 30 minutes of audio).
    static let cacheLimit = 8000 * 60 * 30

    public init(folders: [String]) { self.folders = folders }

    /// The first existing file for `name`.
    public func resolve(_ name: String) -> String? {
        if name.hasPrefix("/") { return FileManager.default.fileExists(atPath: name) ? name : nil }
        for folder in folders {
            let path = (folder as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { return path }
        }
        return nil
    }

    public func samples(for name: String) throws(WAVFile.Problem) -> [Int16] {
        guard let path = resolve(name) else {
            throw WAVFile.Problem("audio file '\(name)' not found (looked in \(folders.joined(separator: ", ")))")
        }
        if let hit = cache.withLock({ $0[path] }) { return hit }
        let samples = try Self.load(path: path)
        remember(samples, as: path)
        return samples
    }

    /// Keeps decoded samples; the cache is emptied first when it would grow past `cacheLimit`.
    func remember(_ samples: [Int16], as key: String) {
        cache.withLock { c in
            if c.values.reduce(0, { $0 + $1.count }) + samples.count > Self.cacheLimit { c.removeAll() }
            c[key] = samples
        }
    }

    /// Decodes one file by its extension.
    public static func load(path: String) throws(WAVFile.Problem) -> [Int16] {
        guard let data = FileManager.default.contents(atPath: path) else { throw WAVFile.Problem("cannot read '\(path)'") }
        let bytes = [UInt8](data)
        switch (path as NSString).pathExtension.lowercased() {
        case "wav": return try WAVFile.read8k(bytes)
        case "pcm", "raw":
            return stride(from: 0, to: bytes.count - 1, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
        default:
            throw WAVFile.Problem("'\(path)' is neither .wav nor .pcm (8 kHz PCM16 little-endian)")
        }
    }
}
