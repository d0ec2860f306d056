import Foundation
import Testing
@testable import IVRSIP

private let sdesKey = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"

/// `a=crypto` attributes (RFC 4568): what is keyed, what is skipped, and
/// hostile lines.
@Suite struct SDESCryptoTests {
    static let key = sdesKey

    @Test func readsTagSuiteKeyAndLifetime() throws {
        let c = try #require(SDESCrypto(attribute: "1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key)|2^20"))
        #expect(c.tag == 1 && c.suite == .aesCM128HMACSHA1_80 && c.key.base64 == Self.key)
        let d = try #require(SDESCrypto(attribute: "42 AES_CM_128_HMAC_SHA1_32 inline:\(Self.key)"))
        #expect(d.tag == 42 && d.suite == .aesCM128HMACSHA1_32)
        #expect(d.attributeValue == "42 AES_CM_128_HMAC_SHA1_32 inline:\(Self.key)")
        #expect(SDESCrypto(attribute: d.attributeValue) == d)
        #expect(SDESCrypto(attribute: "1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key)|2^31") != nil)
        #expect(SDESCrypto(attribute: "1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key)|1048576") != nil)
        #expect(SDESCrypto(attribute: "1  AES_CM_128_HMAC_SHA1_80\tinline:\(Self.key)") != nil, "any run of white space")
        // Optional session parameters are ignored: the window hint and "-" ones.
        #expect(SDESCrypto(attribute: "1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key) WSH=64") != nil)
        #expect(SDESCrypto(attribute: "1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key) -VENDOR_THING") != nil)
    }

    @Test(arguments: [
        "1 AES_256_CM_HMAC_SHA1_80 inline:\(sdesKey)",              // a suite we do not key
        "1 F8_128_HMAC_SHA1_80 inline:\(sdesKey)",
        "1 aes_cm_128_hmac_sha1_80 inline:\(sdesKey)",              // suites are case-sensitive
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey)|2^20|1:4",     // an MKI
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey)|1:4",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey)|2^10",         // a lifetime a call outlives
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey)|2^99",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey)|",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey)|2^20|1:4|9",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey);inline:\(sdesKey)", // two keys
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey) UNENCRYPTED_SRTP",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey) UNENCRYPTED_SRTCP",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey) UNAUTHENTICATED_SRTP",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey) KDR=1",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey) FEC_ORDER=FEC_SRTP",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey) NEW_MANDATORY_THING",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey) WSH=",
        "x AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey)",              // tags are 1 to 9 digits
        "1234567890 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey)",
        "-1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey)",
        "1 AES_CM_128_HMAC_SHA1_80 \(sdesKey)",                     // no inline:
        "1 AES_CM_128_HMAC_SHA1_80 uri:http://example.com/key",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey.dropLast())",   // 39 characters
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey)AAAA",          // 44 characters, 33 bytes
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(String(repeating: "!", count: 40))",
        "1 AES_CM_128_HMAC_SHA1_80 inline:",
        "1 AES_CM_128_HMAC_SHA1_80",
        "1",
        "",
        "   ",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(sdesKey) " + String(repeating: "-x ", count: 200),  // too long
    ])
    func skipsWhatCannotBeKeyed(line: String) {
        #expect(SDESCrypto(attribute: line) == nil)
    }

    @Test func hostileLinesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789 |:^;=-_AESCMHinlea/+\t\u{0}é")
        let good = "1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key)|2^20"
        for _ in 0..<5_000 {
            var line = Array(good)
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let i = Int.random(in: 0..<line.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: line[i] = alphabet.randomElement(using: &generator)!
                case 1: line.insert(alphabet.randomElement(using: &generator)!, at: i)
                default: if line.count > 1 { line.remove(at: i) }
                }
            }
            if let c = SDESCrypto(attribute: String(line)) {
                #expect(c.key.bytes.count == 30)
            }
        }
        // A huge value is refused before it is split.
        #expect(SDESCrypto(attribute: String(repeating: "1 ", count: 500_000)) == nil)
    }

    @Test func sdpKeepsCryptoLinesPerMediaAndBoundsThem() throws {
        var text = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
        text += "a=crypto:9 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key)\r\n"   // session level: not a media's
        text += "m=audio 4000 RTP/SAVP 0\r\n"
        for i in 1...40 { text += "a=crypto:\(i) AES_CM_128_HMAC_SHA1_80 inline:\(Self.key)\r\n" }
        text += "m=audio 4002 RTP/AVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:\(Self.key)\r\n"
        let sdp = try SessionDescription(parsing: Array(text.utf8))
        #expect(sdp.media[0].cryptos.count == SessionDescription.maxCryptos)
        #expect(sdp.media[0].cryptos.first == "1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key)")
        #expect(sdp.media[1].cryptos == ["1 AES_CM_128_HMAC_SHA1_32 inline:\(Self.key)"])
    }
}
