import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One call, as every backend appends it to the call-record log (JSON lines)
/// and as the `summary` event posts it. `ivrc report` reads these.
///
/// ```json
/// {"id":"c1","flow":"acme-main","from":"+15551234567","to":"800","backend":"sip",
///  "start":"2026-11-23T15:00:00.000Z","answer":"2026-11-23T15:00:00.120Z","end":"2026-11-23T15:01:02.500Z",
///  "duration":62.5,"durationMs":62500,"outcome":"transfer","destination":{"kind":"sip","value":"sip:sales@pbx.acme.example"},
///  "path":["welcome","main-menu","sales"],
///  "inputs":[{"node":"main-menu","digits":"7","kind":"menu","invalid":true},{"node":"main-menu","digits":"1","kind":"menu"},
///            {"node":"card","digits":"***","kind":"capture","sensitive":true}]}
/// ```
///
/// A call that went on in another flow (`transfer: {ivr: billing}`) says
/// where each node is: `pathFlows` gives the flow of every node of `path`,
/// and an input in another flow than `flow` carries its own `flow`. Both
/// are absent when the whole call stayed in `flow`, so such records read
/// and write as before.
public struct CallRecord: Codable, Sendable, Equatable {
    /// One completed menu choice or capture. Sensitive digits are `"***"`.
    public struct Input: Codable, Sendable, Equatable {
        public var node: String
        public var digits: String
        /// `menu` or `capture` (or `extension` for dial-by-extension).
        public var kind: String
        public var sensitive: Bool?
        /// `true` when a menu did not accept the keys (no such option, or a
        /// dialled extension the pattern refused); absent otherwise.
        public var invalid: Bool?
        /// The flow of `node` when it is not the record's `flow` (the call
        /// went on there through an `ivr:` transfer); absent otherwise.
        public var flow: String?

        public init(node: String, digits: String, kind: String, sensitive: Bool? = nil, invalid: Bool? = nil,
                    flow: String? = nil) {
            self.node = node
            self.digits = digits
            self.kind = kind
            self.sensitive = sensitive
            self.invalid = invalid
            self.flow = flow
        }
    }

    /// Where a transferred call went.
    public struct Destination: Codable, Sendable, Equatable {
        public var kind: String
        public var value: String
        public init(kind: String, value: String) {
            self.kind = kind
            self.value = value
        }
    }

    public var id: String
    public var flow: String
    /// Calling number or URI.
    public var from: String?
    /// Dialled number or URI.
    public var to: String?
    /// `sip`, `terminal`, `simulate`.
    public var backend: String
    public var start: Date
    public var answer: Date?
    public var end: Date
    /// `end - start` in seconds (milliseconds precision): the spec's `duration`.
    /// Optional only so that records written before it existed still read.
    public var duration: Double?
    /// `end - start` in whole milliseconds.
    public var durationMs: Int
    /// `transfer`, `hangup`, `caller-hangup` or `error`.
    public var outcome: String
    public var destination: Destination?
    /// Nodes visited, in order (a node entered twice appears twice).
    public var path: [String]
    /// The flow of each node of `path`, when the call went on in another
    /// flow through an `ivr:` transfer; nil when every node is in `flow`.
    public var pathFlows: [String]?
    public var inputs: [Input]
    /// Why the call ended in `error`, when it did.
    public var error: String?
    /// Transfers that did not connect, in order (their `on-fail` ran);
    /// nil when there were none.
    public var transferFailures: [TransferFailure]?
    /// What the call's media was, when there is something to say (an SIP
    /// call with SRTP); nil otherwise, and then absent from the JSON.
    public var media: Media?
    /// The bridge, when the call was transferred through one; nil
    /// otherwise, and then absent from the JSON.
    public var bridge: Bridge?
    /// Which node ran the call (`serve` and `call`; nil elsewhere, and then
    /// absent from the JSON): the SHA-256 of the bundle's bytes in hex (the
    /// bundle the call started on, a reload's after one), the node's
    /// `--server` name, and the listener the call's INVITE came in on
    /// (`udp:127.0.0.1:5060`; for `call`, the listener of the transport it dialled over).
    public var bundle: String?
    public var server: String?
    public var listen: String?
    /// A campaign's call (`ivrc campaign`; nil elsewhere, and then absent
    /// from the JSON): the journal's file name, the contact's CSV line, the
    /// attempt (1, 2, ...) and who answered (`human`, `machine`, `unknown`).
    public var campaign: String?
    public var contact: Int?
    public var attempt: Int?
    public var answeredBy: String?

    /// `media` of a call record: `{"srtp": {"suite": "AES_CM_128_HMAC_SHA1_80",
    /// "packetsDropped": {"replay": 0, "auth": 3, "other": 0}}}`. Never a key.
    public struct Media: Codable, Sendable, Equatable {
        public var srtp: SRTP?
        public init(srtp: SRTP? = nil) {
            self.srtp = srtp
        }
    }

    /// The SRTP suite of a call and the received packets it dropped: replays,
    /// failed authentication (tampered, or another key), anything else.
    public struct SRTP: Codable, Sendable, Equatable {
        /// Packets dropped, by why (see `SRTPSession` in IVRSIP).
        public struct Dropped: Codable, Sendable, Equatable {
            public var replay, auth, other: Int
            public init(replay: Int, auth: Int, other: Int) { (self.replay, self.auth, self.other) = (replay, auth, other) }
        }

        public var suite: String
        public var packetsDropped: Dropped
        public init(suite: String, packetsDropped: Dropped) { (self.suite, self.packetsDropped) = (suite, packetsDropped) }
    }

    /// `bridge` of a call record: a bridged transfer (`via: bridge`, or
    /// `auto` when the REFER was refused) that connected, once it is over;
    /// or, when none connected, the last attempt the callee did not take
    /// (`answered` false, `talkSeconds` 0, no `hangupBy`).
    /// `{"destination":{"kind":"number","value":"+442071234567"},"ringSeconds":4.2,"answered":true,
    /// "talkSeconds":95.3,"hangupBy":"callee","recording":"bridge-c1.wav"}`. Talk time and billable
    /// minutes of `ivrc report` come from it.
    public struct Bridge: Codable, Sendable, Equatable {
        public var destination: Destination
        public var ringSeconds: Double
        public var answered: Bool
        public var talkSeconds: Double
        /// `caller`, `callee`, `max-duration` or `system`; absent when the callee never answered.
        public var hangupBy: String?
        /// The stereo recording's file name, when `record: true`.
        public var recording: String?

        public init(destination: Destination, ringSeconds: Double, answered: Bool, talkSeconds: Double,
                    hangupBy: String? = nil, recording: String? = nil) {
            self.destination = destination
            self.ringSeconds = ringSeconds
            self.answered = answered
            self.talkSeconds = talkSeconds
            self.hangupBy = hangupBy
            self.recording = recording
        }

        /// The bridge of a transfer to `destination` that went as `summary` says (seconds to the millisecond).
        public init(destination: Destination, summary: BridgeSummary) {
            func ms(_ seconds: Double) -> Double { seconds.isFinite ? (max(0, seconds) * 1000).rounded() / 1000 : 0 }
            self.init(destination: destination, ringSeconds: ms(summary.ringSeconds), answered: summary.answered,
                      talkSeconds: ms(summary.talkSeconds), hangupBy: summary.endedBy?.rawValue, recording: summary.recording)
        }

        /// Minutes billed for the talk: every started minute counts.
        public var billableMinutes: Int {
            guard answered, talkSeconds.isFinite, talkSeconds > 0 else { return 0 }
            return Int((talkSeconds / 60).rounded(.up))
        }
    }

    /// A transfer that did not connect: where to, the result word
    /// (`busy`, `no-answer`, `rejected`, `failed`, `not-allowed`) and the
    /// backend's reason (`486 Busy Here`, `auth failed: ...`).
    public struct TransferFailure: Codable, Sendable, Equatable {
        public var kind: String
        public var value: String
        public var result: String
        public var reason: String

        public init(kind: String, value: String, result: String, reason: String) {
            self.kind = kind
            self.value = value
            self.result = result
            self.reason = reason
        }
    }

    public init(id: String, flow: String, from: String?, to: String?, backend: String, start: Date, answer: Date?,
                end: Date, outcome: String, destination: Destination?, path: [String], inputs: [Input],
                error: String? = nil, pathFlows: [String]? = nil) {
        self.id = id
        self.flow = flow
        self.from = from
        self.to = to
        self.backend = backend
        self.start = start
        self.answer = answer
        self.end = end
        self.durationMs = max(0, Int((end.timeIntervalSince(start) * 1000).rounded()))
        self.duration = Double(durationMs) / 1000
        self.outcome = outcome
        self.destination = destination
        self.path = path
        self.pathFlows = pathFlows
        self.inputs = inputs
        self.error = error
    }

    /// The flow of the node at `path[index]` (`flow` when the record does
    /// not say otherwise).
    public func flow(atPath index: Int) -> String {
        guard let pathFlows, pathFlows.count == path.count, pathFlows.indices.contains(index) else { return flow }
        return pathFlows[index]
    }

    /// The flow of an input's node.
    public func flow(of input: Input) -> String { input.flow ?? flow }

    /// The flows the call went on in besides `flow` (through `ivr:` transfers).
    public var otherFlows: Set<String> {
        Set(path.indices.map(flow(atPath:)) + inputs.map(flow(of:))).subtracting([flow])
    }

    enum CodingKeys: String, CodingKey {
        case id, flow, from, to, backend, start, answer, end, duration, durationMs, outcome, destination, path, pathFlows,
             inputs, error, transferFailures, media, bridge, bundle, server, listen,
             campaign, contact, attempt, answeredBy
    }

    /// Reads a record. Required: `flow`, `start`, `end`, `outcome` (what
    /// flow-language.md section 7 names, with `path` and `inputs` empty when
    /// absent); `id`, `backend` and the durations are filled in when a
    /// record written by another tool leaves them out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        flow = try c.decode(String.self, forKey: .flow)
        start = try c.decode(Date.self, forKey: .start)
        end = try c.decode(Date.self, forKey: .end)
        outcome = try c.decode(String.self, forKey: .outcome)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        backend = try c.decodeIfPresent(String.self, forKey: .backend) ?? ""
        from = try c.decodeIfPresent(String.self, forKey: .from)
        to = try c.decodeIfPresent(String.self, forKey: .to)
        answer = try c.decodeIfPresent(Date.self, forKey: .answer)
        destination = try c.decodeIfPresent(Destination.self, forKey: .destination)
        path = try c.decodeIfPresent([String].self, forKey: .path) ?? []
        pathFlows = try c.decodeIfPresent([String].self, forKey: .pathFlows)
        inputs = try c.decodeIfPresent([Input].self, forKey: .inputs) ?? []
        error = try c.decodeIfPresent(String.self, forKey: .error)
        transferFailures = try c.decodeIfPresent([TransferFailure].self, forKey: .transferFailures)
        media = try c.decodeIfPresent(Media.self, forKey: .media)
        bridge = try c.decodeIfPresent(Bridge.self, forKey: .bridge)
        bundle = try c.decodeIfPresent(String.self, forKey: .bundle)
        server = try c.decodeIfPresent(String.self, forKey: .server)
        listen = try c.decodeIfPresent(String.self, forKey: .listen)
        campaign = try c.decodeIfPresent(String.self, forKey: .campaign)
        contact = try c.decodeIfPresent(Int.self, forKey: .contact)
        attempt = try c.decodeIfPresent(Int.self, forKey: .attempt)
        answeredBy = try c.decodeIfPresent(String.self, forKey: .answeredBy)
        let seconds = try c.decodeIfPresent(Double.self, forKey: .duration)
        if let ms = try c.decodeIfPresent(Int.self, forKey: .durationMs) {
            durationMs = ms
        } else if let seconds, seconds.isFinite, seconds >= 0, seconds < 1e12 {
            durationMs = Int((seconds * 1000).rounded())
        } else {
            durationMs = max(0, Int((end.timeIntervalSince(start) * 1000).rounded()))
        }
        duration = seconds ?? Double(durationMs) / 1000
    }

    /// Writes every field the spec's summary names, `destination` as `null`
    /// when the call was not transferred.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(flow, forKey: .flow)
        try c.encodeIfPresent(from, forKey: .from)
        try c.encodeIfPresent(to, forKey: .to)
        try c.encode(backend, forKey: .backend)
        try c.encode(start, forKey: .start)
        try c.encodeIfPresent(answer, forKey: .answer)
        try c.encode(end, forKey: .end)
        try c.encodeIfPresent(duration, forKey: .duration)
        try c.encode(durationMs, forKey: .durationMs)
        try c.encode(outcome, forKey: .outcome)
        if let destination { try c.encode(destination, forKey: .destination) } else { try c.encodeNil(forKey: .destination) }
        try c.encode(path, forKey: .path)
        try c.encodeIfPresent(pathFlows, forKey: .pathFlows)
        try c.encode(inputs, forKey: .inputs)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(transferFailures, forKey: .transferFailures)
        try c.encodeIfPresent(media, forKey: .media)
        try c.encodeIfPresent(bridge, forKey: .bridge)
        try c.encodeIfPresent(bundle, forKey: .bundle)
        try c.encodeIfPresent(server, forKey: .server)
        try c.encodeIfPresent(listen, forKey: .listen)
        try c.encodeIfPresent(campaign, forKey: .campaign)
        try c.encodeIfPresent(contact, forKey: .contact)
        try c.encodeIfPresent(attempt, forKey: .attempt)
        try c.encodeIfPresent(answeredBy, forKey: .answeredBy)
    }

    /// The record as one line of JSON (keys sorted, dates ISO 8601 UTC with milliseconds).
    public func jsonLine() -> String {
        let data = (try? Self.encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads one line; nil when it is not a call record.
    public static func parse(line: some StringProtocol) -> CallRecord? {
        try? decoder.decode(CallRecord.self, from: Data(line.utf8))
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(CallRecord.format(date))
        }
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = CallRecord.parseDate(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 date: \(s)")
            }
            return date
        }
        return d
    }()

    /// `2026-11-23T15:00:00.120Z`.
    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    public static func parseDate(_ s: String) -> Date? {
        if let d = try? Date(s, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) { return d }
        return try? Date(s, strategy: .iso8601)
    }
}

/// Appends call records to a JSON-lines file; safe to share between calls
/// and between processes: the file is opened with `O_APPEND` and each line
/// goes out in one `write`, so lines from several writers never overwrite
/// or interleave with each other.
public actor CallRecordLog {
    private let path: String
    private var fd: Int32 = -1

    public init(path: String) {
        self.path = path
    }

    /// Appends one record as a line. Errors are reported, never fatal to a call.
    public func append(_ record: CallRecord) throws {
        if fd < 0 {
            fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw CallRecordLog.error(path) }
        }
        guard CallRecordLog.write(record.jsonLine() + "\n", to: fd) else { throw CallRecordLog.error(path) }
    }

    public func close() {
        if fd >= 0 { _ = closeDescriptor(fd) }
        fd = -1
    }

    /// Appends `line` to the file at `path` (created when missing) in one
    /// `O_APPEND` write; false when it cannot be written.
    public static func append(line: String, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { _ = closeDescriptor(fd) }
        return write(line, to: fd)
    }

    /// One `write` for the whole line (more only if the kernel takes part of it).
    static func write(_ line: String, to fd: Int32) -> Bool {
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { writeDescriptor(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            bytes = bytes.dropFirst(n)
        }
        return true
    }

    static func error(_ path: String) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                                                 NSLocalizedDescriptionKey: "cannot write \(path): \(String(cString: strerror(errno)))"])
    }
}

// The C calls, named apart from the actor's own `close()` and `write`.
private func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }
private func writeDescriptor(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
