import Testing
@testable import IVRSIP

/// The stream framer alone (RFC 3261 18.3, RFC 5626 3.5.1): bytes in, one
/// frame out. Every case names what a TCP or TLS peer can send.
struct SIPStreamFramerTests {
    static func message(_ body: String = "", extra: String = "", length: String? = nil) -> [UInt8] {
        var s = "OPTIONS sip:100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bKf1\r\n"
        s += "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:100@127.0.0.1>\r\nCall-ID: framer\r\nCSeq: 1 OPTIONS\r\n" + extra
        s += "Content-Length: \(length ?? String(body.utf8.count))\r\n"
        return Array((s + "\r\n" + body).utf8)
    }

    static func frame(_ bytes: [UInt8], _ limits: SIPStreamFramer.Limits = .init()) -> SIPStreamFramer.Frame {
        SIPStreamFramer.next(bytes, limits: limits)
    }

    @Test func aMessageWithABodyIsOneFrameOfHeaderAndBody() {
        let m = Self.message("v=0\r\n")
        #expect(Self.frame(m) == .message(length: m.count))
        // Bytes of the next message behind it are not part of it.
        #expect(Self.frame(m + Array("INVITE".utf8)) == .message(length: m.count))
    }

    @Test func twoPipelinedMessagesAreFramedOneAfterTheOther() {
        let a = Self.message("abc"), b = Self.message("")
        let both = a + b
        #expect(Self.frame(both) == .message(length: a.count))
        #expect(Self.frame(Array(both[a.count...])) == .message(length: b.count))
    }

    /// A message cut at every byte offset needs more until its last byte.
    @Test func aMessageCutAnywhereNeedsMoreUntilWhole() {
        let m = Self.message("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n")
        for cut in 1..<m.count {
            #expect(Self.frame(Array(m[..<cut])) == .needMore(idle: false), "cut at \(cut)")
        }
        #expect(Self.frame(m) == .message(length: m.count))
    }

    @Test func aDoubleCRLFIsAPingAndALoneCRLFIsSkipped() {
        #expect(Self.frame(Array("\r\n\r\n".utf8)) == .ping(length: 4))
        #expect(Self.frame(Array("\r\n\r\n".utf8) + Self.message()) == .ping(length: 4))
        // A lone CRLF (the pong of RFC 5626) before a message: skipped, then the message.
        let pongThenMessage = Array("\r\n".utf8) + Self.message()
        #expect(Self.frame(pongThenMessage) == .skip(length: 2))
        #expect(Self.frame(Array(pongThenMessage[2...])) == .message(length: Self.message().count))
    }

    /// Only line ends buffered: idle (no slow-sender clock); part of a
    /// message: not idle.
    @Test func needMoreIsIdleOnlyBetweenMessages() {
        #expect(Self.frame([]) == .needMore(idle: true))
        #expect(Self.frame(Array("\r\n".utf8)) == .needMore(idle: true))
        #expect(Self.frame(Array("\r\n\r".utf8)) == .needMore(idle: true))
        #expect(Self.frame(Array("O".utf8)) == .needMore(idle: false))
        #expect(Self.frame(Array("OPTIONS sip:x SIP/2.0\r\n".utf8)) == .needMore(idle: false))
        // A run of line ends longer than a ping is dropped rather than kept.
        #expect(Self.frame(Array(repeating: 10, count: 100)) == .skip(length: 100))
    }

    @Test func aHeaderSectionOverTheLimitIsInvalidAndBelowItNeedsMore() {
        let limits = SIPStreamFramer.Limits(maxHeaderBytes: 1024, maxBodyBytes: 4096)
        let start = Array("INVITE sip:x SIP/2.0\r\nX-Filler: ".utf8)
        let below = start + Array(repeating: UInt8(ascii: "a"), count: 1023 - start.count)
        #expect(Self.frame(below, limits) == .needMore(idle: false))
        let at = start + Array(repeating: UInt8(ascii: "a"), count: 1024 - start.count)
        guard case .invalid(let why) = Self.frame(at, limits) else {
            Issue.record("a header section of 1,024 bytes without its blank line is invalid")
            return
        }
        #expect(why.contains("1024"))
        // Ten megabytes: refused just the same, looking at no more than the limit.
        let huge = start + Array(repeating: UInt8(ascii: "a"), count: 10_000_000)
        #expect(Self.frame(huge, limits) == .invalid("header section over 1024 bytes"))
        // A whole message just within the limit is framed; one or two bytes
        // over it (its blank line past the limit) is not.
        let m = Self.message()
        #expect(Self.frame(m, .init(maxHeaderBytes: m.count, maxBodyBytes: 0)) == .message(length: m.count))
        #expect(Self.frame(m, .init(maxHeaderBytes: m.count - 1, maxBodyBytes: 0)) == .invalid("header section over \(m.count - 1) bytes"))
        #expect(Self.frame(m, .init(maxHeaderBytes: m.count - 2, maxBodyBytes: 0)) == .invalid("header section over \(m.count - 2) bytes"))
    }

    @Test func aContentLengthOverTheBodyLimitIsInvalid() {
        let limits = SIPStreamFramer.Limits(maxHeaderBytes: 32_768, maxBodyBytes: 1000)
        #expect(Self.frame(Self.message(length: "1000"), limits) == .needMore(idle: false))
        #expect(Self.frame(Self.message(length: "1001"), limits) == .invalid("Content-Length 1001 is over the 1000-byte limit"))
        #expect(Self.frame(Self.message(length: "999999999"), limits)
                == .invalid("Content-Length 999999999 is over the 1000-byte limit"))
    }

    @Test func conflictingOrNonNumericContentLengthsAreInvalid() {
        #expect(Self.frame(Self.message("ab", extra: "Content-Length: 3\r\n"))
                == .invalid("conflicting Content-Length values"))
        #expect(Self.frame(Self.message("ab", extra: "l: 2\r\n")) == .message(length: Self.message("ab", extra: "l: 2\r\n").count))
        for bad in ["abc", "-1", "2x", "", "1 2", "0x10", "1234567890"] {
            #expect(Self.frame(Self.message(length: bad)) == .invalid("bad Content-Length"), "Content-Length: \(bad)")
        }
    }

    @Test func theCompactFormCountsAndCaseDoesNot() {
        var s = "INVITE sip:x SIP/2.0\r\nl: 3\r\n\r\nabc"
        #expect(Self.frame(Array(s.utf8)) == .message(length: s.utf8.count))
        s = "INVITE sip:x SIP/2.0\r\nCONTENT-length :\t3 \r\n\r\nabcINVITE"
        #expect(Self.frame(Array(s.utf8)) == .message(length: s.utf8.count - 6))
        // A header that only starts like it is another header.
        s = "INVITE sip:x SIP/2.0\r\nLength: 3\r\nl-x: 5\r\n\r\nabc"
        #expect(Self.frame(Array(s.utf8)) == .message(length: s.utf8.count - 3))
    }

    /// No Content-Length: no body (the header is mandatory on streams).
    @Test func aMessageWithoutContentLengthHasNoBody() {
        let s = "OPTIONS sip:x SIP/2.0\r\nCall-ID: a\r\n\r\nv=0\r\n"
        #expect(Self.frame(Array(s.utf8)) == .message(length: s.utf8.count - 5))
        // LF-only line ends, as the parser tolerates.
        let lf = "OPTIONS sip:x SIP/2.0\nContent-Length: 2\n\nab"
        #expect(Self.frame(Array(lf.utf8)) == .message(length: lf.utf8.count))
    }

    /// A slice whose indices do not start at 0 (NIO's readable view) frames the same.
    @Test func aSliceFramesLikeAnArray() {
        let m = Self.message("xyz")
        let padded = Array("\r\n\r\n".utf8) + m
        #expect(SIPStreamFramer.next(padded[4...]) == .message(length: m.count))
    }

    /// Random bytes never crash it and never name more bytes than there are.
    @Test func randomBytesAreFramedWithinBounds() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("\r\n: lLContent-gth0123456789INVITE".utf8)
        let limits = SIPStreamFramer.Limits(maxHeaderBytes: 64, maxBodyBytes: 64)
        for _ in 0..<5_000 {
            let n = Int.random(in: 0..<200, using: &generator)
            var bytes = (0..<n).map { _ in alphabet.randomElement(using: &generator)! }
            var rounds = 0
            while !bytes.isEmpty, rounds < 400 {
                rounds += 1
                switch SIPStreamFramer.next(bytes, limits: limits) {
                case .message(let length), .ping(let length), .skip(let length):
                    #expect(length > 0 && length <= bytes.count)
                    bytes.removeFirst(min(max(length, 1), bytes.count))
                case .needMore, .invalid:
                    bytes = []
                }
            }
        }
    }
}
