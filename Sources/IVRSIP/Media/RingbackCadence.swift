import Foundation
import IVRRuntime

/// The ring a caller hears while a bridged transfer's callee rings
/// (`ringback: tone`): one whole cycle of a regional cadence at 8 kHz,
/// which `MediaSession.startLoop` repeats.
///
/// | tone | frequencies | cadence |
/// |---|---|---|
/// | us | 440 + 480 Hz | 2 s on, 4 s off |
/// | uk | 400 + 450 Hz | 0.4 on, 0.2 off, 0.4 on, 2.0 off |
/// | eu | 425 Hz | 1 s on, 4 s off |
/// | jp | 400 Hz modulated by 16 Hz | 1 s on, 2 s off |
public enum RingbackCadence {
    /// Milliseconds on and off, in order, for one cycle.
    public static func pattern(_ tone: RingbackTone) -> [(on: Bool, milliseconds: Int)] {
        switch tone {
        case .us: [(true, 2000), (false, 4000)]
        case .uk: [(true, 400), (false, 200), (true, 400), (false, 2000)]
        case .eu: [(true, 1000), (false, 4000)]
        case .jp: [(true, 1000), (false, 2000)]
        }
    }

    /// The peak amplitude of a ring (about -16 dBm0 per tone of a pair).
    static let amplitude = 4000.0

    /// One cycle of `tone`, computed once per process (a US cycle is 48,000
    /// samples; computed for every ringing call, `sin` took about 6% of the
    /// profile of 400 bridged calls setting up). Arrays are shared
    /// copy-on-write, so every call plays the same storage.
    public static func cycle(_ tone: RingbackTone) -> [Int16] {
        switch tone {
        case .us: usCycle
        case .uk: ukCycle
        case .eu: euCycle
        case .jp: jpCycle
        }
    }

    // `static let`s are initialised once, thread-safely, on first use.
    private static let usCycle = computeCycle(.us)
    private static let ukCycle = computeCycle(.uk)
    private static let euCycle = computeCycle(.eu)
    private static let jpCycle = computeCycle(.jp)

    /// One cycle of `tone`: the sound's phase runs on through the cycle, so
    /// the cycle repeats without clicks at the joins.
    static func computeCycle(_ tone: RingbackTone) -> [Int16] {
        var out: [Int16] = []
        var n = 0
        for part in pattern(tone) {
            let count = part.milliseconds * 8
            out.reserveCapacity(out.count + count)
            for _ in 0..<count {
                out.append(part.on ? sample(tone, at: n) : 0)
                n += 1
            }
        }
        return out
    }

    static func sample(_ tone: RingbackTone, at n: Int) -> Int16 {
        let t = Double(n) / 8000
        func sine(_ hz: Double) -> Double { sin(2 * Double.pi * hz * t) }
        let value: Double
        switch tone {
        case .us: value = amplitude * (sine(440) + sine(480))
        case .uk: value = amplitude * (sine(400) + sine(450))
        case .eu: value = amplitude * sine(425)
        // 400 Hz amplitude-modulated at 16 Hz (the JJ-20.12 ring tone).
        case .jp: value = amplitude * 2 * sine(400) * (0.5 + 0.5 * sine(16))
        }
        return Int16(max(-32_767, min(32_767, value)))
    }
}
