import Foundation
import Logging
import NIOPosix

/// Speech for `say`: espeak-ng (or espeak) rendered to 8 kHz audio and
/// cached on disk by a hash of text, voice and language; or `none`, which
/// plays a short tone and logs the text (for machines without an engine).
public enum TextToSpeech: Sendable {
    case espeak(executable: String, cacheFolder: String)
    case none

    /// The first espeak-ng or espeak on PATH.
    public static func findEngine() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in ["espeak-ng", "espeak"] {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// 8 kHz samples for the text. Never fails: an engine error gives the
    /// tone. A rendering read from the cache counts as a hit in `metrics`,
    /// one synthesized as a miss (`none` counts neither).
    public func render(_ text: String, voice: String?, language: String?, logger: Logger,
                       metrics: IVRMetrics = .none) async -> [Int16] {
        switch self {
        case .none:
            logger.info("say (no TTS engine): \(text)")
            return Tone.sine(hz: 440, milliseconds: 300)
        case .espeak(let executable, let cache):
            let key = Self.cacheKey(text: text, voice: voice, language: language)
            let path = (cache as NSString).appendingPathComponent("\(key).wav")
            if let cached = try? PromptAudio.load(path: path) {
                metrics.ttsRendered(cached: true)
                return cached
            }
            metrics.ttsRendered(cached: false)
            do {
                return try await NIOThreadPool.singleton.runIfActive {
                    try Self.synthesize(text, voice: language ?? voice, executable: executable, to: path)
                }
            } catch {
                logger.warning("TTS failed (\(error)); playing a tone for: \(text)")
                return Tone.sine(hz: 440, milliseconds: 300)
            }
        }
    }

    /// Runs the engine into a temporary WAV, converts it to 8 kHz PCM16 and
    /// moves it into the cache atomically.
    static func synthesize(_ text: String, voice: String?, executable: String, to path: String) throws -> [Int16] {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let raw = path + ".\(UUID().uuidString).raw.wav"
        defer { try? FileManager.default.removeItem(atPath: raw) }
        func run(_ voice: String?) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = ["-w", raw] + (voice.map { ["-v", $0.lowercased()] } ?? []) + ["--", text]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        // An unknown voice falls back to the engine's default.
        if try run(voice) != 0, voice != nil { _ = try run(nil) }
        let samples = try PromptAudio.load(path: raw)
        let tmp = path + ".\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(WAVFile.encode(samples))) else { return samples }
        if rename(tmp, path) != 0 { try? FileManager.default.removeItem(atPath: tmp) }
        return samples
    }

    /// FNV-1a 64 over the three fields, hex.
    public static func cacheKey(text: String, voice: String?, language: String?) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array("\(text)\u{0}\(voice ?? "")\u{0}\(language ?? "")".utf8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16).leftPadded(to: 16)
    }
}

/// Generated tones: the record beep and the no-TTS placeholder.
public enum Tone {
    public static func sine(hz: Double, milliseconds: Int, amplitude: Double = 8000) -> [Int16] {
        (0..<(milliseconds * 8)).map { Int16(amplitude * sin(2 * Double.pi * hz * Double($0) / 8000)) }
    }
}
