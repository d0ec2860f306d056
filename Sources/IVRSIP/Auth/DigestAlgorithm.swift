import Crypto

/// The digest algorithms ivrc answers (RFC 7616 3.3, RFC 8760 for SIP):
/// MD5 and SHA-256, each also in its `-sess` form. Hashes are swift-crypto's.
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    case md5 = "MD5"
    case md5Session = "MD5-sess"
    case sha256 = "SHA-256"
    case sha256Session = "SHA-256-sess"

    /// The algorithm a challenge names (case-insensitive); nil when unknown
    /// (SHA-512-256, or anything else).
    public init?(named name: String) {
        guard let known = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self = known
    }

    var isSession: Bool { self == .md5Session || self == .sha256Session }

    /// Preference when a response offers several challenges (RFC 8760 2.4).
    var strength: Int { self == .sha256 || self == .sha256Session ? 2 : 1 }

    /// The lower-case hex digest of `text`'s UTF-8 bytes.
    func hash(_ text: String) -> String {
        let bytes = Array(text.utf8)
        switch self {
        case .md5, .md5Session: return Self.hex(Insecure.MD5.hash(data: bytes))
        case .sha256, .sha256Session: return Self.hex(SHA256.hash(data: bytes))
        }
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
