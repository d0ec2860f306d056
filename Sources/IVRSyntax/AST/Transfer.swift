/// `transfer:` one destination plus options (section 5.3).
public struct Transfer: Sendable {
    public var destination: Destination
    public var callerID: Located<InterpolatedString>?
    public var timeout: Located<Duration>?
    public var allow: Located<String>?
    public var onFail: Target?
    /// `via`: how the caller is connected; nil: the manifest's `sip.transfer`, else refer.
    public var via: Located<Via>?
    /// `ringback`: what the caller hears while a bridged callee rings.
    public var ringback: Ringback?
    /// `whisper`: media steps played to a bridged callee only.
    public var whisper: Prompt?
    /// `confirm`: the key a bridged callee must press to accept (0-9, *, #, A-D).
    public var confirm: Located<Character>?
    /// `confirm-timeout`: how long the callee has to press `confirm`.
    public var confirmTimeout: Located<Duration>?
    /// `record`: both sides of the bridge recorded to one stereo WAV.
    public var record: Located<Bool>?
    /// `max-duration`: the bridge ends after this long.
    public var maxDuration: Located<Duration>?
    /// The ranges of the keys of the fields that only a bridge has
    /// (`ringback`, `whisper`, `confirm`, `confirm-timeout`, `record`,
    /// `max-duration`), by field name, in the order written.
    public var bridgeOnlyKeys: [(field: String, range: SourceRange)] = []

    public init(destination: Destination) { self.destination = destination }
    public static let defaultTimeout = Duration.seconds(30)
    public static let defaultConfirmTimeout = Duration.seconds(10)

    /// `via:` values. A step takes `refer` or `bridge`; `auto` is the
    /// manifest's `sip.transfer` only.
    public enum Via: String, Sendable, CaseIterable {
        case refer, bridge, auto
    }

    /// A regional ring cadence (`ringback: {tone: uk}`).
    public enum RingbackTone: String, Sendable, CaseIterable {
        case us, uk, eu, jp
    }

    /// `ringback: tone`, `ringback: {tone: REGION}`, or media steps.
    public enum Ringback: Sendable {
        /// `tone` (nil region: the default, us) or `{tone: REGION}`.
        case tone(Located<RingbackTone>?, range: SourceRange)
        case media(Prompt)

        public var range: SourceRange {
            switch self {
            case .tone(_, let range): range
            case .media(let prompt): prompt.range
            }
        }
    }

    /// Whether `key` is a key a callee can press to `confirm`: 0-9, *, #, A-D.
    public static func isConfirmKey(_ key: Character) -> Bool {
        ("0"..."9").contains(key) || key == "*" || key == "#" || ("A"..."D").contains(key)
    }
}

/// One of the seven destination kinds and its (possibly interpolated) value.
public struct Destination: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case number, `extension`, sip, conference, group, app, ivr
    }
    public var kind: Kind
    public var kindRange: SourceRange
    public var value: Located<InterpolatedString>

    public init(kind: Kind, kindRange: SourceRange, value: Located<InterpolatedString>) {
        self.kind = kind
        self.kindRange = kindRange
        self.value = value
    }
}
