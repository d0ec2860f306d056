import Foundation

/// A 30-byte SRTP master key and salt (RFC 3711 section 8.2), as an SDES
/// `inline:` key parameter carries it in base64 (RFC 4568 section 6.1).
///
/// Held only in memory. Every way Swift prints a value (`description`,
/// `debugDescription`, `dump`, string interpolation of a struct that holds
/// one) shows `<redacted>`, so a log line or an error message that names an
/// agreement never carries the key; only `base64` (for the SDP we send)
/// gives it out.
public struct SRTPMasterKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let bytes: [UInt8]

    /// Exactly `SRTPSuite.keyAndSaltLength` bytes, else nil.
    public init?(bytes: [UInt8]) {
        guard bytes.count == SRTPSuite.keyAndSaltLength else { return nil }
        self.bytes = bytes
    }

    /// The base64 text of an `inline:` parameter: 40 characters for 30
    /// bytes (longer text is refused before it is decoded).
    public init?(base64 text: some StringProtocol) {
        guard text.utf8.count == 40, let data = Data(base64Encoded: String(text)), let key = SRTPMasterKey(bytes: Array(data)) else {
            return nil
        }
        self = key
    }

    /// A fresh key and salt from the system's cryptographically secure
    /// generator (`getrandom` on Linux).
    public static func random() -> SRTPMasterKey {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(SRTPSuite.keyAndSaltLength)
        for _ in 0..<SRTPSuite.keyAndSaltLength { bytes.append(generator.next()) }
        return SRTPMasterKey(bytes: bytes)!
    }

    /// The key as SDP writes it. Only the SDP we send uses it.
    public var base64: String { Data(bytes).base64EncodedString() }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
