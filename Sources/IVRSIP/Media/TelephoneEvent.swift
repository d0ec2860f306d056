/// RFC 4733 telephone-event payloads (DTMF named events 0-15), and the
/// filter that turns a stream of them into key presses.
public struct TelephoneEvent: Sendable, Equatable {
    public var event: UInt8
    public var end: Bool
    public var volume: UInt8
    public var duration: UInt16

    public init(event: UInt8, end: Bool, volume: UInt8 = 10, duration: UInt16) {
        self.event = event
        self.end = end
        self.volume = volume
        self.duration = duration
    }

    /// Reads the first 4 bytes; nil when shorter.
    public init?(payload: [UInt8]) {
        guard payload.count >= 4 else { return nil }
        event = payload[0]
        end = payload[1] & 0x80 != 0
        volume = payload[1] & 0x3F
        duration = UInt16(payload[2]) << 8 | UInt16(payload[3])
    }

    public var payload: [UInt8] {
        [event, (end ? 0x80 : 0) | (volume & 0x3F), UInt8(duration >> 8), UInt8(duration & 0xFF)]
    }

    /// The key of a DTMF event: 0-9, 10 `*`, 11 `#`, 12-15 A-D; nil for other events.
    public var key: Character? { TelephoneEvent.key(forEvent: Int(event)) }

    static func key(forEvent e: Int) -> Character? {
        switch e {
        case 0...9: Character(String(e))
        case 10: "*"
        case 11: "#"
        case 12...15: Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(e - 12)))
        default: nil
        }
    }

    static func event(forKey key: Character) -> UInt8? {
        switch key {
        case "0"..."9": key.asciiValue.map { $0 - UInt8(ascii: "0") }
        case "*": 10
        case "#": 11
        case "A"..."D": key.asciiValue.map { $0 - UInt8(ascii: "A") + 12 }
        default: nil
        }
    }
}

/// Turns RFC 4733 packets into keys, once per press. An event is
/// identified by its RTP timestamp and event code (constant over its start,
/// update and retransmitted end packets), so its first packet yields the
/// key and the rest are ignored. Some senders reuse the timestamp for
/// presses made while no audio flows: a non-end packet for an event that
/// already ended starts a new press. A short history tolerates reordering.
public struct TelephoneEventFilter: Sendable {
    private var recent: [(timestamp: UInt32, event: UInt8, ended: Bool)] = []
    static let history = 16

    public init() {}

    /// The key this packet reports, or nil if its press was already reported.
    public mutating func key(for packet: RTPPacket) -> Character? {
        guard let event = TelephoneEvent(payload: packet.payload), let key = event.key else { return nil }
        if let i = recent.firstIndex(where: { $0.timestamp == packet.timestamp && $0.event == event.event }) {
            if recent[i].ended, !event.end {
                recent[i].ended = false  // the same code again at the same timestamp: a new press
                return key
            }
            if event.end { recent[i].ended = true }
            return nil
        }
        recent.append((packet.timestamp, event.event, event.end))
        if recent.count > TelephoneEventFilter.history { recent.removeFirst() }
        return key
    }
}

/// DTMF carried in SIP INFO bodies: `application/dtmf-relay` (`Signal=5`,
/// `Signal=10` for `*`) and `application/dtmf` (the key alone).
public enum DTMFInfo {
    public static func key(contentType: String?, body: [UInt8]) -> Character? {
        guard let type = contentType, let text = String(validating: body.prefix(1024), as: UTF8.self) else { return nil }
        switch type {
        case "application/dtmf-relay":
            for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                let kv = line.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, kv[0].trimmingCharacters(in: " \t").lowercased() == "signal" else { continue }
                return keyFromSignal(kv[1].trimmingCharacters(in: " \t\r"))
            }
            return nil
        case "application/dtmf":
            return keyFromSignal(text.trimmingSIPWhitespace())
        default:
            return nil
        }
    }

    static func keyFromSignal(_ s: String) -> Character? {
        if s.count == 1, let c = s.first {
            let upper = Character(c.uppercased())
            return "0123456789*#ABCD".contains(upper) ? upper : nil
        }
        if let n = Int(s) { return TelephoneEvent.key(forEvent: n) }
        return nil
    }
}
