import Foundation
import Logging
import IVRTestSupport
import Testing
@testable import IVRSIP

/// `say` through an engine: the rendering is cached, and an unknown voice
/// falls back to the engine's default.
/// The first test drives the real espeak-ng; the others use a small script
/// in its place (`-w FILE` writes a WAV) to control failures and timing.
@Suite struct TextToSpeechTests {
    /// A fake engine: sleeps `delay` seconds, then copies `wav` to the file
    /// after `-w`; exits 1 without writing when given a `-v` other than `en`.
    static func engine(in folder: String, wav: String, delay: Double) throws -> String {
        let path = folder + "/fake-espeak"
        let script = """
            #!/bin/sh
            out=""; voice=""
            while [ $# -gt 0 ]; do
                case "$1" in
                    -w) out="$2"; shift 2 ;;
                    -v) voice="$2"; shift 2 ;;
                    --) shift; break ;;
                    *) shift ;;
                esac
            done
            if [ -n "$voice" ] && [ "$voice" != "en" ]; then exit 1; fi
            echo "$@" >> "\(folder)/said.txt"
            sleep \(delay)
            cp "\(wav)" "$out"
            """
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return path
    }

    static func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "ivrc-tts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func rendersCachesAndFallsBackToTheDefaultVoice() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tone = Tone.sine(hz: 300, milliseconds: 200, amplitude: 4000)
        try Data(WAVFile.encode(tone)).write(to: URL(fileURLWithPath: folder + "/voice.wav"))
        let engine = try Self.engine(in: folder, wav: folder + "/voice.wav", delay: 0)
        let tts = TextToSpeech.espeak(executable: engine, cacheFolder: folder + "/cache")
        let logger = Logger(label: "test")

        #expect(await tts.render("Press one.", voice: nil, language: "EN", logger: logger) == tone)
        // An unknown voice: the engine refuses it, and the default voice speaks.
        #expect(await tts.render("Hola.", voice: nil, language: "xx-unknown", logger: logger) == tone)
        // Rendered once: the second request comes from the cache.
        #expect(await tts.render("Press one.", voice: nil, language: "EN", logger: logger) == tone)
        let said = try String(contentsOfFile: folder + "/said.txt", encoding: .utf8)
        #expect(said == "Press one.\nHola.\n")
        let cached = try FileManager.default.contentsOfDirectory(atPath: folder + "/cache")
        #expect(cached.filter { $0.hasSuffix(".wav") }.count == 2, "\(cached)")
        #expect(!cached.contains { $0.hasSuffix(".tmp") || $0.hasSuffix(".raw.wav") }, "\(cached)")
    }

    /// The real espeak-ng: speech comes back as 8 kHz audio of a spoken
    /// length, loud enough to hear, and not the placeholder tone.
    @Test(.enabled(if: TestTools.onPath("espeak-ng"), TestTools.missing("espeak-ng", package: "espeak-ng")),
          .timeLimit(.minutes(2)))
    func realEspeakSpeaks() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let engine = try #require(TextToSpeech.findEngine())
        let tts = TextToSpeech.espeak(executable: engine, cacheFolder: folder + "/cache")
        let logger = Logger(label: "test")
        let samples = await tts.render("For sales press one. For support press two.", voice: nil, language: "en-US", logger: logger)
        #expect(samples != Tone.sine(hz: 440, milliseconds: 300), "the engine failed and the placeholder tone played")
        // About 3 s of speech at 8,000 samples a second (1-8 s allows any voice speed).
        #expect((8_000...64_000).contains(samples.count), "\(samples.count) samples")
        let loud = samples.filter { abs(Int($0)) > 1_000 }.count
        #expect(loud > samples.count / 20, "only \(loud) of \(samples.count) samples are audible")
        // Spanish text in a Spanish voice renders too, under its own cache entry.
        let spanish = await tts.render("Para ventas, pulse uno.", voice: nil, language: "es", logger: logger)
        #expect(spanish.count > 4_000 && spanish != samples)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/cache").filter { $0.hasSuffix(".wav") }.count == 2)
    }
}
