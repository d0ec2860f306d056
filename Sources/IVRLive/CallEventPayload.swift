import IVRRuntime

/// The JSON bodies posted to a flow's `events.url` (docs/events.md).
///
/// ```json
/// {"event":"dtmf","call":"c1","flow":"acme-main","node":"main-menu","kind":"menu","digits":"1","sensitive":false,"seq":1}
/// {"event":"summary","seq":3,"answer":"...","backend":"sip",...every CallRecord field...}
/// ```
///
/// `seq` numbers one call's events from 1 in the order they happened; the
/// summary is always the last. Retries can deliver events out of order, so
/// receivers that care sort by (`call`, `seq`).
public enum CallEventPayload {
    /// One completed menu choice, capture or dial-by-extension (`kind`
    /// `menu`, `capture`, `extension`); sensitive digits are already `***`.
    public static func dtmf(call: String, flow: String, input: CallRecord.Input, seq: Int) -> String {
        JSON.object([
            ("event", .string("dtmf")),
            ("call", .string(call)),
            ("flow", .string(flow)),
            ("node", .string(input.node)),
            ("kind", .string(input.kind)),
            ("digits", .string(input.digits)),
            ("sensitive", .bool(input.sensitive ?? false)),
            ("seq", .number(String(seq))),
        ]).serialized
    }

    /// The call record with `"event":"summary"` (and `seq`) in front.
    public static func summary(_ record: CallRecord, seq: Int) -> String {
        let line = record.jsonLine()
        guard case .object(let fields)? = JSONParser.parse(Array(line.utf8)) else { return line }
        return JSON.object([("event", .string("summary")), ("seq", .number(String(seq)))] + fields).serialized
    }

    /// Every event of one finished call, in order: a `dtmf` per completed
    /// input of the record (keys a menu or capture refused are not events),
    /// then the `summary`.
    public static func all(for record: CallRecord) -> [(name: String, json: String)] {
        var events = record.inputs.filter { $0.invalid != true }.enumerated().map { i, input in
            (name: "dtmf \(i + 1) of call \(record.id)", json: dtmf(call: record.id, flow: record.flow, input: input, seq: i + 1))
        }
        events.append((name: "summary of call \(record.id)", json: summary(record, seq: events.count + 1)))
        return events
    }
}
