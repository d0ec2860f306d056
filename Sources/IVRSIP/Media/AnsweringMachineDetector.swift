import Foundation

/// Tells a person from an answering machine by the first seconds of what
/// the callee sends after answering (8 kHz PCM16, 20 ms frames), from the
/// rhythm of speech and silence alone (a frame is speech when its mean
/// square passes `speechEnergy`):
///
/// - a greeting of continuous speech longer than `maximumGreeting` (1.5 s)
///   is a machine ("Hi, you have reached ... please leave a message");
/// - more than `maximumWords` (3) bursts of speech is a machine too;
/// - speech no longer than `maximumGreeting` followed by `afterGreetingSilence`
///   (0.8 s) of silence is a person ("Hello?" and waiting for an answer);
/// - silence from the start for `initialSilence` (2.5 s), or no decision
///   within `totalTime` (5 s), is `unknown`.
///
/// Short gaps (under `wordGap`, 0.2 s) inside speech are part of it. Not
/// wired to calls yet (see docs/campaign.md "Not there yet").
public struct AnsweringMachineDetector: Sendable {
    public enum Verdict: String, Sendable, Equatable {
        case human, machine, unknown
    }

    public var speechEnergy = 250_000.0  // about -36 dBFS
    public var maximumGreeting = 1.5
    public var afterGreetingSilence = 0.8
    public var initialSilence = 2.5
    public var totalTime = 5.0
    public var wordGap = 0.2
    public var maximumWords = 3
    public let frameSeconds: Double

    private var elapsed = 0.0
    private var heardSpeech = false
    private var speechRun = 0.0
    private var silenceRun = 0.0
    private var words = 0
    private var longestSpeech = 0.0
    public private(set) var verdict: Verdict?

    public init(frameSeconds: Double = 0.02) { self.frameSeconds = frameSeconds }

    /// Feeds one frame; the verdict once there is one (then it stays).
    public mutating func feed(_ frame: ArraySlice<Int16>) -> Verdict? {
        if let verdict { return verdict }
        var energy = 0.0
        for sample in frame { energy += Double(sample) * Double(sample) }
        let speech = !frame.isEmpty && energy / Double(frame.count) >= speechEnergy
        elapsed += frameSeconds
        if speech {
            // A gap shorter than a pause between words belongs to the speech around it.
            if silenceRun >= wordGap || !heardSpeech { words += 1 } else { speechRun += silenceRun }
            heardSpeech = true
            silenceRun = 0
            speechRun += frameSeconds
            longestSpeech = max(longestSpeech, speechRun)
            if speechRun > maximumGreeting || words > maximumWords { verdict = .machine }
        } else {
            silenceRun += frameSeconds
            if silenceRun >= wordGap { speechRun = 0 }
            if heardSpeech, silenceRun >= afterGreetingSilence, longestSpeech <= maximumGreeting { verdict = .human }
            if !heardSpeech, silenceRun >= initialSilence { verdict = .unknown }
        }
        if verdict == nil, elapsed >= totalTime { verdict = .unknown }
        return verdict
    }
}
