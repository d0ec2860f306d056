import Crypto

/// The nonces ivrc challenges inbound INVITEs with (`sip.inbound.auth`),
/// kept nowhere: a nonce is the time it was made (uptime, milliseconds,
/// 16 hex digits) followed by an HMAC-SHA256 of that time under a key
/// drawn once per process, so any nonce comes back checkable and a
/// forged or altered one fails. A restart makes every earlier nonce
/// unknown (its client is simply challenged again).
struct DigestNonces {
    /// How the nonce of an answer checks out.
    enum Verdict: Equatable {
        case fresh
        /// Made here, but older than the lifetime: the answer, when right,
        /// gets a new challenge with `stale=true` (RFC 7616 3.3).
        case stale
        /// Not made by this process (malformed, forged or altered).
        case unknown
    }

    private let key: SymmetricKey
    let lifetimeMilliseconds: UInt64

    init(lifetime: Duration, key: SymmetricKey = SymmetricKey(size: .bits256)) {
        self.key = key
        let (seconds, attoseconds) = lifetime.components
        lifetimeMilliseconds = UInt64(max(0, seconds)) * 1000 + UInt64(max(0, attoseconds) / 1_000_000_000_000_000)
    }

    /// A nonce made at `now` (milliseconds of uptime).
    func make(now: UInt64) -> String {
        let stamp = Self.stampBytes(now)
        let mac = HMAC<SHA256>.authenticationCode(for: stamp, using: key)
        return DigestAlgorithm.hex(stamp) + DigestAlgorithm.hex(mac)
    }

    func check(_ nonce: String, now: UInt64) -> Verdict {
        let bytes = Array(nonce.utf8)
        guard bytes.count == 16 + 64, let stamp = Self.unhex(bytes[0..<16]), let mac = Self.unhex(bytes[16...]),
              HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: stamp, using: key) else { return .unknown }
        let made = stamp.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard made <= now else { return .unknown }
        return now - made > lifetimeMilliseconds ? .stale : .fresh
    }

    static func stampBytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    static func unhex(_ digits: ArraySlice<UInt8>) -> [UInt8]? {
        guard digits.count % 2 == 0 else { return nil }
        func value(_ d: UInt8) -> UInt8? {
            switch d {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = digits.startIndex
        while i < digits.endIndex {
            guard let high = value(digits[i]), let low = value(digits[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}
