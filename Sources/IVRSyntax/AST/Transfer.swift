/// `transfer:` one destination plus options (section 5.3).
public struct Transfer: Sendable {
    public var destination: Destination
    public var callerID: Located<InterpolatedString>?
    public var timeout: Located<Duration>?
    public var allow: Located<String>?
    public var onFail: Target?

    public init(destination: Destination) { self.destination = destination }
    public static let defaultTimeout = Duration.seconds(30)
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
