import Foundation

/// Finds an answering machine's beep in received audio (8 kHz PCM16, 20 ms
/// frames): a frame is tonal when one frequency of a bank of usual beep
/// frequencies holds most of its energy (Goertzel's algorithm, one bin per
/// frequency); a beep is `minimumFrames` tonal frames in a row on the same
/// frequency. Speech spreads its energy over many frequencies and its
/// pitch moves, so it is not tonal for long.
///
/// Not wired to calls yet: `wait: {for: beep}` will feed it the callee's
/// audio (see docs/campaign.md "Not there yet").
public struct ToneDetector: Sendable {
    /// The frequencies looked for (Hz): the beeps of common answering machines and voicemail systems.
    public static let beepFrequencies: [Double] = [425, 440, 480, 500, 600, 800, 850, 900, 950, 1000, 1100, 1200, 1400, 1600, 2000]

    public let frequencies: [Double]
    public let sampleRate: Double
    /// Share of the frame's energy the strongest bin must hold (0...1).
    public var threshold = 0.6
    /// Tonal frames in a row, on one frequency, that make a beep (4: 80 ms).
    public var minimumFrames = 4
    /// Frames quieter than this mean square are never tonal (silence, line noise).
    public var minimumEnergy = 10_000.0

    private var run = 0
    private var runFrequency: Int?

    public init(frequencies: [Double] = ToneDetector.beepFrequencies, sampleRate: Double = 8000) {
        self.frequencies = frequencies
        self.sampleRate = sampleRate
    }

    /// The Goertzel power of `frequency` in `samples`: |X(f)|².
    public static func power(of frequency: Double, in samples: ArraySlice<Int16>, sampleRate: Double = 8000) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / sampleRate)
        var s1 = 0.0, s2 = 0.0
        for sample in samples {
            let s0 = Double(sample) + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2
    }

    /// The index in `frequencies` of the frame's tone, or nil when the frame is not tonal.
    public func tone(in frame: ArraySlice<Int16>) -> Int? {
        guard !frame.isEmpty else { return nil }
        var energy = 0.0
        for sample in frame { energy += Double(sample) * Double(sample) }
        guard energy / Double(frame.count) >= minimumEnergy else { return nil }
        var best = 0, bestPower = 0.0
        for (i, f) in frequencies.enumerated() {
            let p = Self.power(of: f, in: frame, sampleRate: sampleRate)
            if p > bestPower { (best, bestPower) = (i, p) }
        }
        // A pure tone on the bin: |X|² = (A·N/2)², energy = A²·N/2, so the ratio is 1.
        let share = bestPower / (Double(frame.count) / 2 * energy)
        return share >= threshold ? best : nil
    }

    /// Feeds one frame; the beep's frequency once `minimumFrames` tonal
    /// frames on it came in a row (reported once per beep).
    public mutating func feed(_ frame: ArraySlice<Int16>) -> Double? {
        guard let t = tone(in: frame) else {
            (run, runFrequency) = (0, nil)
            return nil
        }
        if t == runFrequency { run += 1 } else { (run, runFrequency) = (1, t) }
        return run == minimumFrames ? frequencies[t] : nil
    }
}
