/// The SRTP crypto suites ivrc keys by SDES (RFC 4568 section 6.2): AES in
/// counter mode with a 128-bit key, HMAC-SHA1 authentication with an 80- or
/// 32-bit tag on SRTP (SRTCP keeps the 80-bit tag with both). Both take a
/// 30-byte master key and salt, written in SDP as 40 characters of base64.
public enum SRTPSuite: String, Sendable, CaseIterable {
    case aesCM128HMACSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
    case aesCM128HMACSHA1_32 = "AES_CM_128_HMAC_SHA1_32"

    /// Master key (16 bytes) and master salt (14 bytes), concatenated.
    public static let keyAndSaltLength = 30

    /// The authentication tag each SRTP packet carries, in bytes.
    public var tagLength: Int {
        switch self {
        case .aesCM128HMACSHA1_80: 10
        case .aesCM128HMACSHA1_32: 4
        }
    }
}
