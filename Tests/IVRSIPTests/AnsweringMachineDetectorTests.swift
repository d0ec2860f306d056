import Foundation
import IVRTestSupport
import Testing
@testable import IVRSIP

/// The answering-machine heuristic and the beep detector on synthesized
/// 8 kHz audio: "speech" is noise shaped into syllables (4 a second), a
/// person says 0.8 s of it then waits, a machine talks for 4 s then beeps
/// at 1 kHz.
@Suite struct AnsweringMachineDetectorTests {
    /// `seconds` of speech-like audio: seeded noise under a syllable envelope.
    static func speech(_ seconds: Double, seed: UInt64) -> [Int16] {
        var random = SeededGenerator(seed: seed)
        let n = Int(seconds * 8000)
        return (0..<n).map { i in
            let t = Double(i) / 8000
            let envelope = 0.35 + 0.65 * abs(sin(Double.pi * 4 * t))  // syllables, never silent inside a word
            return Int16(Double(Int16.random(in: -9000...9000, using: &random)) * envelope)
        }
    }

    static func silence(_ seconds: Double) -> [Int16] { Array(repeating: 0, count: Int(seconds * 8000)) }

    static func tone(_ frequency: Double, _ seconds: Double, amplitude: Double = 8000) -> [Int16] {
        (0..<Int(seconds * 8000)).map { Int16(amplitude * sin(2 * Double.pi * frequency * Double($0) / 8000)) }
    }

    /// Feeds 20 ms frames until a verdict; the verdict and when (seconds).
    static func classify(_ audio: [Int16]) -> (AnsweringMachineDetector.Verdict?, Double) {
        var amd = AnsweringMachineDetector()
        for start in stride(from: 0, to: audio.count, by: 160) {
            if let v = amd.feed(audio[start..<min(start + 160, audio.count)]) { return (v, Double(start + 160) / 8000) }
        }
        return (nil, Double(audio.count) / 8000)
    }

    @Test func aShortHelloThenSilenceIsAPerson() {
        for seed in UInt64(1)...20 {
            let (verdict, at) = Self.classify(Self.speech(0.8, seed: seed) + Self.silence(3))
            #expect(verdict == .human, "seed \(seed)")
            #expect(at <= 1.8, "decided at \(at) s")
        }
    }

    @Test func aLongGreetingIsAMachine() {
        for seed in UInt64(1)...20 {
            let (verdict, at) = Self.classify(Self.speech(4, seed: seed) + Self.tone(1000, 0.5))
            #expect(verdict == .machine, "seed \(seed)")
            #expect(at <= 1.7, "decided at \(at) s")
        }
    }

    @Test func silenceIsUnknown() {
        #expect(Self.classify(Self.silence(6)).0 == .unknown)
    }

    @Test func theBeepAfterTheGreetingIsFound() {
        let audio = Self.speech(4, seed: 7) + Self.tone(1000, 0.5)
        var detector = ToneDetector()
        var found: [(Double, Double)] = []
        for start in stride(from: 0, to: audio.count, by: 160) {
            if let f = detector.feed(audio[start..<min(start + 160, audio.count)]) { found.append((f, Double(start) / 8000)) }
        }
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.0 == 1000)
        #expect((found.first?.1 ?? 0) >= 4, "no beep inside the speech: \(found)")
    }

    @Test func offBinBeepsAndQuietLinesToo() {
        var detector = ToneDetector()
        let audio = Self.tone(1004, 0.2, amplitude: 3000)
        let hits = stride(from: 0, to: audio.count, by: 160).compactMap { detector.feed(audio[$0..<$0 + 160]) }
        #expect(hits == [1000])
        var quiet = ToneDetector()
        let hum = Self.tone(1000, 0.2, amplitude: 50)
        #expect(stride(from: 0, to: hum.count, by: 160).compactMap { quiet.feed(hum[$0..<$0 + 160]) } == [])
    }
}
