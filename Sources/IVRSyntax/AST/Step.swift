/// One step of a node (flow-language.md section 3).
public struct Step: Sendable {
    public indirect enum Kind: Sendable {
        case say(Say)
        case play(Play)
        case menu(Menu)
        case capture(Capture)
        case set(SetVariables)
        case branch(Branch)
        case goto(Target)
        case transfer(Transfer)
        case webhook(Webhook)
        case record(Record)
        case hangup
        case wait(Wait)
    }

    public var kind: Kind
    /// The step key (`menu`, `say`, ...), for diagnostics that name the step.
    public var keyRange: SourceRange
    /// The whole step.
    public var range: SourceRange

    public init(kind: Kind, keyRange: SourceRange, range: SourceRange) {
        self.kind = kind
        self.keyRange = keyRange
        self.range = range
    }

    /// The step's YAML key.
    public var keyword: String {
        switch kind {
        case .say: "say"
        case .play: "play"
        case .menu: "menu"
        case .capture: "capture"
        case .set: "set"
        case .branch: "branch"
        case .goto: "goto"
        case .transfer: "transfer"
        case .webhook: "webhook"
        case .record: "record"
        case .hangup: "hangup"
        case .wait: "wait"
        }
    }

    /// `say` and `play`: the only steps allowed in prompts.
    public var isMedia: Bool {
        switch kind {
        case .say, .play: true
        default: false
        }
    }

    /// Whether the step always transfers control (ends its node).
    public var alwaysJumps: Bool {
        switch kind {
        case .goto, .transfer, .hangup, .menu: true
        case .branch(let b): b.alwaysJumps
        default: false
        }
    }
}

/// `say: "text"` or `say: {text, voice, language}`.
public struct Say: Sendable {
    public var text: Located<InterpolatedString>
    public var voice: Located<String>?
    public var language: Located<String>?
    public init(text: Located<InterpolatedString>) { self.text = text }
}

/// `play: file` or `play: {file, transcript}`.
public struct Play: Sendable {
    public var file: Located<String>
    public var transcript: Located<String>?
    public init(file: Located<String>) { self.file = file }

    /// A remote prompt (`https://...`), not looked up on disk.
    public var isURL: Bool { file.value.hasPrefix("https://") || file.value.hasPrefix("http://") }
}

/// `set: {name: "value ${var}", ...}` in file order.
public struct SetVariables: Sendable {
    public struct Assignment: Sendable {
        public var name: Located<String>
        public var value: Located<InterpolatedString>
        public init(name: Located<String>, value: Located<InterpolatedString>) {
            self.name = name
            self.value = value
        }
    }
    public var assignments: [Assignment]
    public init(assignments: [Assignment]) { self.assignments = assignments }
}

/// `branch:` a list of `{if, then}` arms and an optional `{else}`.
public struct Branch: Sendable {
    public struct Arm: Sendable {
        /// The expression source as written, and its parse (nil when it did not parse).
        public var source: Located<String>
        public var condition: Expression?
        public var then: Target
        public init(source: Located<String>, condition: Expression?, then: Target) {
            self.source = source
            self.condition = condition
            self.then = then
        }
    }
    public var arms: [Arm]
    public var otherwise: Target?
    public init(arms: [Arm], otherwise: Target?) {
        self.arms = arms
        self.otherwise = otherwise
    }

    /// A branch jumps when `else` is present and every arm jumps.
    public var alwaysJumps: Bool {
        guard let otherwise, otherwise.alwaysJumps else { return false }
        return arms.allSatisfy { $0.then.alwaysJumps }
    }
}

/// `record: {into, max, beep, finish-on, silence}`.
public struct Record: Sendable {
    public var into: Located<String>
    public var max: Located<Duration>?
    public var beep: Located<Bool>?
    /// The key that ends the recording: absent means `#` (the spec's
    /// default); `finish-on: none` is a located nil (only silence, `max` or
    /// a hang-up end it).
    public var finishOn: Located<DTMFKey?>?
    public var silence: Located<Duration>?
    public init(into: Located<String>) { self.into = into }

    public static let defaultMax = Duration.seconds(120)
    public static let defaultFinishOn = DTMFKey.hash

    /// The finish key in effect.
    public var effectiveFinishOn: DTMFKey? { finishOn.map(\.value) ?? Self.defaultFinishOn }
}

/// `wait: {for: beep | silence, timeout: 30s}`: on an outbound call, waits
/// until the callee's answering machine beeps (or the callee is silent for
/// one second); the timeout ends the wait too.
public struct Wait: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case beep, silence }
    public var kind: Located<Kind>
    public var timeout: Located<Duration>?
    public init(kind: Located<Kind>) { self.kind = kind }

    public static let defaultTimeout = Duration.seconds(30)
    public var effectiveTimeout: Duration { timeout?.value ?? Self.defaultTimeout }
}

/// `hangup` needs no payload; `webhook` (section 7).
public struct Webhook: Sendable {
    public enum Method: String, Sendable { case GET, POST }
    public var url: Located<InterpolatedString>
    public var method: Located<Method>?
    public var body: JSONTemplate?
    public var timeout: Located<Duration>?
    public var into: Located<String>?
    public var onError: Target?
    public init(url: Located<InterpolatedString>) { self.url = url }

    public var effectiveMethod: Method { method?.value ?? .GET }
    public static let defaultTimeout = Duration.seconds(3)
}

/// A webhook body: JSON whose strings may interpolate variables.
public indirect enum JSONTemplate: Sendable {
    case string(Located<InterpolatedString>)
    case number(String, SourceRange)
    case bool(Bool, SourceRange)
    case null(SourceRange)
    case array([JSONTemplate], SourceRange)
    case object([(key: Located<String>, value: JSONTemplate)], SourceRange)

    public var range: SourceRange {
        switch self {
        case .string(let s): s.range
        case .number(_, let r), .bool(_, let r), .null(let r), .array(_, let r), .object(_, let r): r
        }
    }
}
