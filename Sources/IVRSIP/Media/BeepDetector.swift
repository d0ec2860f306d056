import Foundation

/// Finds an answering machine's beep in the callee's audio, for
/// `wait: {for: beep}`: a steady pure tone between 400 and 2,500 Hz that
/// lasts at least `minimum` (100 ms), reported when it stops, so that a
/// message left then is recorded whole.
///
/// Each 20 ms frame is tested with the Goertzel algorithm at every 25 Hz
/// of the range: a frame is tonal when one frequency holds at least
/// `purity` of the frame's energy (1 for a pure sine on that frequency,
/// 0.8 halfway between two; voiced speech spreads its energy over
/// harmonics and stays well below). A beep is a run of tonal frames on the
/// same frequency (within 50 Hz), louder than `floor`.
///
/// Time without packets (`missing`) ends a beep only once it adds up to
/// `gapTolerance` with no frame in between: packets that come late (network
/// jitter, a busy sender) leave a gap in one chunk listened to and arrive
/// in the next, and a beep taken as ended there would have the message
/// played over the rest of it.
public struct BeepDetector: Sendable {
    /// RMS below which a frame is not a beep (-42 dBFS).
    public var floor: Double = 260
    /// The share of a frame's energy one frequency must hold.
    public var purity: Double = 0.7
    /// The shortest beep (ms).
    public var minimum = 100
    /// Time without packets (ms) after which a beep in progress has ended.
    public var gapTolerance = 200

    /// The beep's frequency (Hz) and the time its end was seen (ms since the start), once found.
    public private(set) var beep: (hz: Double, endedAt: Int)?
    /// Milliseconds of audio seen.
    public private(set) var milliseconds = 0

    private var runHz: Double?
    private var runLength = 0
    /// When the run's last tonal frame ended (ms since the start).
    private var runEnd = 0
    /// Milliseconds without packets since the last frame.
    private var gap = 0

    static let frequencies: [Double] = Array(stride(from: 400.0, through: 2_500.0, by: 25.0))
    /// Goertzel coefficients (2 cos(2 pi f / 8000)) for `frequencies`.
    static let coefficients: [Double] = frequencies.map { 2 * cos(2 * Double.pi * $0 / 8_000) }

    public init() {}

    /// True once the beep ended.
    public var heard: Bool { beep != nil }

    /// Takes one frame of 8 kHz samples (160: 20 ms); true once a beep has ended.
    @discardableResult
    public mutating func frame(_ samples: some Collection<Int16>) -> Bool {
        guard beep == nil else { return true }
        let length = samples.count / 8
        milliseconds += length
        gap = 0
        let tone = Self.tone(Array(samples), floor: floor, purity: purity)
        if let tone, let hz = runHz, abs(tone - hz) <= 50 {
            runLength += length
            runEnd = milliseconds
        } else {
            if let hz = runHz, runLength >= minimum {
                beep = (hz, runEnd)
                return true
            }
            runHz = tone
            runLength = tone == nil ? 0 : length
            runEnd = milliseconds
        }
        return false
    }

    /// Time with no audio: a beep in progress has ended once no packet
    /// came for `gapTolerance`; a shorter gap leaves it going on.
    @discardableResult
    public mutating func missing(milliseconds length: Int) -> Bool {
        guard beep == nil, length > 0 else { return beep != nil }
        milliseconds += length
        guard let hz = runHz else { return false }
        gap += length
        guard gap >= gapTolerance else { return false }
        if runLength >= minimum {
            beep = (hz, runEnd)
            return true
        }
        runHz = nil
        runLength = 0
        return false
    }

    /// The frequency holding at least `purity` of the frame's energy, if any.
    static func tone(_ samples: [Int16], floor: Double, purity: Double) -> Double? {
        let n = samples.count
        guard n >= 80 else { return nil }
        var energy = 0.0
        for s in samples { energy += Double(s) * Double(s) }
        guard (energy / Double(n)).squareRoot() >= floor else { return nil }
        var best = 0.0
        var bestIndex = 0
        for (i, c) in coefficients.enumerated() {
            var s1 = 0.0, s2 = 0.0
            for x in samples {
                let s0 = Double(x) + c * s1 - s2
                s2 = s1
                s1 = s0
            }
            let power = s1 * s1 + s2 * s2 - c * s1 * s2
            if power > best { best = power; bestIndex = i }
        }
        // A sine of amplitude A on the frequency: power (n A / 2)^2, energy n A^2 / 2.
        let share = 2 * best / (Double(n) * energy)
        return share >= purity ? frequencies[bestIndex] : nil
    }
}
