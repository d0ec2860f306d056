/// Says, 20 ms at a time, whether the far end is speaking: a frame is
/// voiced when its RMS level is above both a fixed floor and a multiple of
/// the line's noise level, taken as the quietest frame of the last two
/// seconds (at most `noiseCeiling`): speech has quiet moments between
/// syllables, a hissing line has none, so a steady noise is not speech
/// for long.
///
/// Time advances with the audio: `frame(_:)` for 20 ms of 8 kHz samples,
/// `missing(milliseconds:)` for time in which no packet came (silence
/// suppression sends nothing while nobody speaks). Used by
/// `AnsweringMachineDetector` and by `wait: {for: silence}`.
public struct VoiceActivity: Sendable {
    /// RMS below which a frame is never speech (16-bit samples; -42 dBFS).
    public var floor: Double
    /// A frame is speech when louder than this many times the noise level.
    public var overNoise: Double
    /// The most the noise level is taken to be (RMS; -30 dBFS).
    public var noiseCeiling: Double = 1000

    /// The line's noise level (RMS): the quietest of the last `window` frames.
    public var noise: Double { min(recent.min() ?? 0, noiseCeiling) }
    private var recent: [Double] = []
    private var next = 0
    static let window = 100
    /// Milliseconds of audio seen (frames and missing time).
    public private(set) var milliseconds = 0
    /// Milliseconds since the last voiced frame (all of them when none was).
    public private(set) var silentFor = 0
    /// Whether the last frame was voiced.
    public private(set) var voiced = false

    public static let frameMilliseconds = 20
    public static let frameSamples = 160

    public init(floor: Double = 260, overNoise: Double = 2.5) {
        self.floor = floor
        self.overNoise = overNoise
    }

    /// Takes one frame (any length; 160 samples is 20 ms at 8 kHz) and says whether it is voiced.
    @discardableResult
    public mutating func frame(_ samples: some Collection<Int16>) -> Bool {
        let rms = Self.rms(samples)
        let length = samples.count * 1000 / 8000
        voiced = rms > max(floor, noise * overNoise)  // the noise of the frames before this one
        if recent.count < Self.window { recent.append(rms) } else { recent[next] = rms; next = (next + 1) % Self.window }
        milliseconds += length
        silentFor = voiced ? 0 : silentFor + length
        return voiced
    }

    /// Time in which no audio came: silence.
    public mutating func missing(milliseconds gap: Int) {
        guard gap > 0 else { return }
        for _ in 0..<min(gap / Self.frameMilliseconds, Self.window) {
            if recent.count < Self.window { recent.append(0) } else { recent[next] = 0; next = (next + 1) % Self.window }
        }
        milliseconds += gap
        silentFor += gap
        voiced = false
    }

    public static func rms(_ samples: some Collection<Int16>) -> Double {
        guard !samples.isEmpty else { return 0 }
        var sum = 0.0
        for s in samples { let v = Double(s); sum += v * v }
        return (sum / Double(samples.count)).squareRoot()
    }
}
