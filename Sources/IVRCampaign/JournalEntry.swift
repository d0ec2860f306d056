import Foundation

/// One line of a campaign journal (toolchain.md "Campaigns"):
/// `{"at": ISO-8601, "contact": CSV-LINE, "number": "+E164", "attempt": N,
/// "event": ..., "result": R, "final": BOOL, "answeredBy": ..., "callId": ...}`.
/// `event` is `queued` (each valid contact once, when a campaign first
/// sees it), `dialling` (written and synced before the INVITE goes),
/// `answered`, or `result`; `result`, `final` and `answeredBy` are on
/// result lines only, and always there (`answeredBy` is `unknown` when
/// nobody answered). `detail` says why (the SIP status, the row's error).
public struct JournalEntry: Codable, Sendable, Equatable {
    public enum Event: String, Codable, Sendable {
        case queued, dialling, answered, result
    }

    public var at: String
    public var contact: Int
    public var number: String
    public var attempt: Int
    public var event: Event
    public var result: CallResult?
    public var final: Bool?
    public var answeredBy: String?
    public var callId: String?
    public var detail: String?

    public init(at: Date, contact: Int, number: String, attempt: Int, event: Event, result: CallResult? = nil,
                final: Bool? = nil, answeredBy: String? = nil, callId: String? = nil, detail: String? = nil) {
        self.at = Self.timestamp(at)
        self.contact = contact
        self.number = number
        self.attempt = attempt
        self.event = event
        self.result = result
        self.final = final
        self.answeredBy = answeredBy
        self.callId = callId
        self.detail = detail
    }

    /// When the line was written.
    public var date: Date? { Self.parser.withLock { $0.date(from: at) } }

    /// The line's JSON (keys sorted), without the newline.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Reads one line; nil when it is not a whole entry (a line torn by a crash).
    public static func parse(_ line: some StringProtocol) -> JournalEntry? {
        try? JSONDecoder().decode(JournalEntry.self, from: Data(line.utf8))
    }

    static func timestamp(_ date: Date) -> String { parser.withLock { $0.string(from: date) } }

    private static let parser = LockedFormatter()
}

/// ISO 8601 with milliseconds, UTC (`2026-12-07T18:30:00.123Z`), behind a lock.
final class LockedFormatter: @unchecked Sendable {
    // NOTE: the formatter is only touched inside `withLock`.
    private let lock = NSLock()
    private let formatter: ISO8601DateFormatter

    init() {
        formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    }

    func withLock<T>(_ body: (ISO8601DateFormatter) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(formatter)
    }
}
