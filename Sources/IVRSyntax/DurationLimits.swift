/// The sensible range of each duration field, in one table: a value outside
/// it is E006 naming the range, and a bare number (`timeout: 3000`) is
/// offered the unit that lands inside it (`3000ms`, not 50 minutes). The
/// bounds are generous on purpose: they catch a unit slip (`2h` for `2m`,
/// `0.001s` for `1s`), not a taste in timing.
///
/// docs/reference.md ("Duration ranges") and the JSON Schema's descriptions
/// repeat this table; `ReferenceDocTests` and `SchemaTests` compare them.
public struct DurationLimit: Sendable, Hashable {
    /// What the field is, for messages: "a menu or capture timeout".
    public let what: String
    /// Where the field is written, for the docs: "menu.timeout, capture.timeout, defaults.timeout".
    public let fields: [String]
    public let range: ClosedRange<Int>
    /// The value the field has when it is not written, in milliseconds.
    public let typical: Int

    public init(what: String, fields: [String], range: ClosedRange<Int>, typical: Int) {
        self.what = what
        self.fields = fields
        self.range = range
        self.typical = typical
    }

    /// "between 500ms and 2m".
    public var rangeText: String {
        "between \(Duration(milliseconds: range.lowerBound)) and \(Duration(milliseconds: range.upperBound))"
    }
}

public enum DurationLimits {
    /// How long a menu or capture waits for the first key.
    public static let keyTimeout = DurationLimit(
        what: "a menu or capture timeout", fields: ["menu.timeout", "capture.timeout", "defaults.timeout"],
        range: 500...120_000, typical: 5000)
    /// How long a capture or a dial-by-extension number waits between keys.
    public static let interDigitTimeout = DurationLimit(
        what: "an inter-digit timeout",
        fields: ["menu.inter-digit-timeout", "capture.inter-digit-timeout",
                 "dial-by-extension.inter-digit-timeout", "defaults.inter-digit-timeout"],
        range: 500...60_000, typical: 3000)
    /// How long a transfer's destination rings.
    public static let ringTimeout = DurationLimit(
        what: "a transfer's ring timeout", fields: ["transfer.timeout"], range: 2000...600_000, typical: 30_000)
    /// How long a bridged transfer's callee has to press `confirm`.
    public static let confirmTimeout = DurationLimit(
        what: "a transfer's confirm timeout", fields: ["transfer.confirm-timeout"], range: 1000...120_000, typical: 10_000)
    /// The longest a bridged transfer's parties stay joined.
    public static let bridgeMaxDuration = DurationLimit(
        what: "a bridge's max-duration", fields: ["transfer.max-duration"], range: 10_000...86_400_000, typical: 3_600_000)
    /// The longest recording.
    public static let recordMax = DurationLimit(
        what: "a recording's max", fields: ["record.max"], range: 1000...3_600_000, typical: 120_000)
    /// The silence that ends a recording.
    public static let recordSilence = DurationLimit(
        what: "a recording's silence", fields: ["record.silence"], range: 500...300_000, typical: 5000)
    /// How long a `wait` step waits for the callee's beep or silence.
    public static let waitTimeout = DurationLimit(
        what: "a wait's timeout", fields: ["wait.timeout"], range: 1000...300_000, typical: 30_000)
    /// How long a webhook may take to answer.
    public static let webhookTimeout = DurationLimit(
        what: "a webhook timeout", fields: ["webhook.timeout"], range: 100...60_000, typical: 3000)

    /// How long a registration (the manifest's `sip.register`) asks to
    /// last: registrars refuse less than a minute (423), and a binding
    /// older than a day is a slip of the unit.
    public static let registrationExpires = DurationLimit(
        what: "a registration's expires", fields: ["register.expires"], range: 60_000...86_400_000, typical: 3_600_000)

    /// Every duration field of the language, in the order of docs/reference.md.
    public static let all: [DurationLimit] = [
        keyTimeout, interDigitTimeout, ringTimeout, confirmTimeout, bridgeMaxDuration, recordMax, recordSilence, waitTimeout, webhookTimeout, registrationExpires,
    ]

    /// The reading of a bare number to offer (`3000`: `3000s` or
    /// `3000ms`): the unit whose value lands in the field's range (when both
    /// do, the one nearer the field's usual value, by ratio); nil when
    /// neither does or the text is no number.
    public static func unit(forBareNumber text: String, in limit: DurationLimit) -> String? {
        let readings = ["s", "ms"].compactMap { unit in
            Duration(parsing: text + unit).map { (unit: unit, value: $0) }
        }
        func distance(_ d: Duration) -> Double {
            let ratio = Double(d.milliseconds) / Double(limit.typical)
            return ratio >= 1 ? ratio : 1 / ratio
        }
        return readings.filter { limit.range.contains($0.value.milliseconds) }
            .min { distance($0.value) < distance($1.value) }?.unit
    }
}
