/// Answering-machine detection: from the first seconds of what the callee
/// sends after answering, decides whether a person or a machine picked up
/// (`answered_by`: `human`, `machine`, `unknown`). docs/answering-machines.md
/// has the heuristic and its measured accuracy.
///
/// A person says something short ("Hello?") and waits; a machine plays a
/// greeting of continuous speech. Speech is `VoiceActivity`'s voiced frames;
/// gaps shorter than `pause` inside speech (between words and phrases) do
/// not end it. The verdict:
/// - `machine` once the speech so far, gaps included, lasts `greeting`
///   (1.5 s) without a pause of `pause`;
/// - `human` when speech of at least `word` (100 ms) is followed by a pause
///   of `pause` (800 ms) before reaching `greeting`;
/// - `unknown` when nobody spoke within `initialSilence` (2.5 s), or the
///   `analysis` time (5 s) ran out undecided.
public struct AnsweringMachineDetector: Sendable {
    public enum Verdict: String, Sendable, Equatable {
        case human, machine, unknown
    }

    public struct Settings: Sendable, Equatable {
        /// Silence from the answer after which nobody is taken to be there to classify.
        public var initialSilence = 2_500
        /// Speech this long without a pause is a greeting.
        public var greeting = 2_000
        /// A silence this long after speech ends an utterance.
        public var pause = 800
        /// Voiced time shorter than this is a click or a breath, not speech.
        public var word = 100
        /// The whole analysis ends here.
        public var analysis = 5_000

        public init() {}
    }

    public let settings: Settings
    public private(set) var activity = VoiceActivity()
    /// The verdict, once made.
    public private(set) var verdict: Verdict?
    /// Milliseconds after the answer when the verdict was made.
    public private(set) var decidedAt: Int?
    /// Why, in words (for logs and the record's debugging).
    public private(set) var reason = ""

    /// When the current utterance began (ms), and how much of it was voiced.
    private var utteranceStart: Int?
    private var voicedInUtterance = 0

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Takes 20 ms of the callee's audio (8 kHz samples); returns the verdict once made.
    @discardableResult
    public mutating func frame(_ samples: some Collection<Int16>) -> Verdict? {
        guard verdict == nil else { return verdict }
        let voiced = activity.frame(samples)
        let length = samples.count / 8
        return advance(voiced: voiced, length: length)
    }

    /// Time with no audio from the callee (no packets): silence.
    @discardableResult
    public mutating func missing(milliseconds gap: Int) -> Verdict? {
        guard verdict == nil, gap > 0 else { return verdict }
        activity.missing(milliseconds: gap)
        return advance(voiced: false, length: gap)
    }

    private mutating func advance(voiced: Bool, length: Int) -> Verdict? {
        let now = activity.milliseconds
        if voiced {
            if utteranceStart == nil { utteranceStart = now - length }
            voicedInUtterance += length
        }
        if let start = utteranceStart {
            let spoken = now - activity.silentFor - start
            if voicedInUtterance >= settings.word, spoken >= settings.greeting {
                return decide(.machine, "\(spoken) ms of speech without a pause of \(settings.pause) ms")
            }
            if activity.silentFor >= settings.pause {
                if voicedInUtterance >= settings.word {
                    return decide(.human, "\(spoken) ms of speech, then \(activity.silentFor) ms of silence")
                }
                utteranceStart = nil  // a click, then silence: not speech
                voicedInUtterance = 0
            }
        } else if now >= settings.initialSilence {
            return decide(.unknown, "no speech in the first \(settings.initialSilence) ms")
        }
        if now >= settings.analysis {
            return decide(.unknown, "undecided after \(settings.analysis) ms")
        }
        return nil
    }

    private mutating func decide(_ verdict: Verdict, _ why: String) -> Verdict {
        self.verdict = verdict
        decidedAt = activity.milliseconds
        reason = why
        return verdict
    }
}
