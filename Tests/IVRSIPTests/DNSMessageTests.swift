import IVRTestSupport
import Testing
@testable import IVRSIP

/// The DNS response reader (RFC 1035 4.1, RFC 2782): real answers from
/// dnsmasq decode to their records; hostile bytes (pointer loops, forward
/// pointers, long names, lying lengths, every truncation, random bytes)
/// end in an error, never a crash or a hang.
@Suite struct DNSMessageTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = hex.makeIterator()
        while let h = it.next(), let l = it.next() { out.append(UInt8(String([h, l]), radix: 16)!) }
        return out
    }

    /// dnsmasq 2.90's answer to SRV _sip._udp.ivr.test: two SRV records
    /// (targets compressed against the question) and the targets' A
    /// records in the additional section.
    static let srvAnswer = bytes(
        "123485800001000200000002045f736970045f7564700369767204746573740000210001c00c002100010000000000120014000013d0016203697672"
            + "047465737400c00c00210001000000000012000a003c13cf016103697672047465737400c054000100010000000000047f000001c036000100010000"
            + "000000047f000001")

    @Test func readsSRVAndAdditionalAddresses() throws {
        let message = try DNSMessage(parsing: Self.srvAnswer)
        #expect(message.id == 0x1234)
        #expect(message.responseCode == 0)
        #expect(!message.isTruncated)
        #expect(message.answers == [
            DNSRecord(name: "_sip._udp.ivr.test", data: .srv(priority: 20, weight: 0, port: 5072, target: "b.ivr.test")),
            DNSRecord(name: "_sip._udp.ivr.test", data: .srv(priority: 10, weight: 60, port: 5071, target: "a.ivr.test")),
        ])
        #expect(message.additionals == [
            DNSRecord(name: "a.ivr.test", data: .a("127.0.0.1")),
            DNSRecord(name: "b.ivr.test", data: .a("127.0.0.1")),
        ])
    }

    /// A CNAME, an AAAA (RFC 5952 text), an unknown type read past, upper
    /// case and escapes in names, and the NXDOMAIN code.
    @Test func readsCNAMEAndAAAAAndSkipsOtherTypes() throws {
        var m = DNSBytes(id: 7, flags: 0x8183)
        m.question("WWW.Example")
        m.record("WWW.Example", type: 5) { $0.name("host.example") }
        m.record("host.example", type: 28) { $0.raw([0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 10) + [0, 1]) }
        m.record("host.example", type: 16) { $0.raw(Array("\u{5}hello".utf8)) }
        m.record("a\\b.c d", type: 1) { $0.raw([192, 0, 2, 1]) }
        let message = try DNSMessage(parsing: m.bytes)
        #expect(message.responseCode == 3)
        #expect(message.answers.map(\.data) == [.cname("host.example"), .aaaa("2001:db8::1"), .other(type: 16), .a("192.0.2.1")])
        #expect(message.answers.first?.name == "www.example")
        #expect(message.answers.last?.name == "a\\092b.c\\032d")
    }

    @Test func ipv6TextIsCanonical() {
        func text(_ groups: [UInt16]) -> String { DNSReader.ipv6Text(ArraySlice(groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })) }
        #expect(text([0, 0, 0, 0, 0, 0, 0, 1]) == "::1")
        #expect(text([0, 0, 0, 0, 0, 0, 0, 0]) == "::")
        #expect(text([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1]) == "2001:db8:0:1::1")
        #expect(text([0xfe80, 1, 2, 3, 4, 5, 6, 7]) == "fe80:1:2:3:4:5:6:7")
    }

    /// A pointer to itself, two pointers to each other, a pointer forward:
    /// each is refused (pointers must go backwards), in bounded time.
    @Test func compressionLoopsAndForwardPointersAreRefused() {
        var header = DNSBytes(id: 1, flags: 0x8180, questions: 1).bytes
        // The question's name at offset 12 is a pointer to offset 12.
        #expect(throws: DNSMessageError.badPointer(at: 12)) { try DNSMessage(parsing: header + [0xC0, 12, 0, 1, 0, 1]) }
        // Offset 12: label "a" then a pointer to 14, which points to 12.
        header = DNSBytes(id: 1, flags: 0x8180, questions: 1).bytes
        #expect(throws: DNSMessageError.self) { try DNSMessage(parsing: header + [1, 0x61, 0xC0, 14, 0xC0, 12, 0, 1, 0, 1]) }
        // A pointer forward, to a valid name after it.
        #expect(throws: DNSMessageError.badPointer(at: 12)) {
            try DNSMessage(parsing: header + [0xC0, 18, 0, 1, 0, 1, 1, 0x61, 0])
        }
        // Extended label types (0x40, 0x80) are not names here.
        #expect(throws: DNSMessageError.badLabel(at: 12)) { try DNSMessage(parsing: header + [0x41, 0, 0, 1, 0, 1]) }
    }

    /// Each question a pointer to the one before it: from the 65th on, a
    /// name follows more than 64 pointers and is refused.
    @Test func longPointerChainsAreCut() throws {
        func chain(_ count: Int) -> [UInt8] {
            var bytes = DNSBytes(id: 1, flags: 0x8180, questions: count + 1).bytes
            bytes += [1, 0x61, 0, 0, 1, 0, 1]  // question 1: "a", at 12
            var previous = 12
            for _ in 0..<count {
                let here = bytes.count
                bytes += [0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF), 0, 1, 0, 1]
                previous = here
            }
            return bytes
        }
        _ = try DNSMessage(parsing: chain(64))
        #expect(throws: DNSMessageError.badPointer(at: 12 + 7)) { try DNSMessage(parsing: chain(65)) }
    }

    /// A name of 256 bytes (labels of 63) is refused; one of 255 is read.
    @Test func namesLongerThan255BytesAreRefused() throws {
        func message(labels: [Int]) -> [UInt8] {
            var bytes = DNSBytes(id: 1, flags: 0x8180, questions: 1).bytes
            for n in labels { bytes += [UInt8(n)] + [UInt8](repeating: 0x61, count: n) }
            return bytes + [0, 0, 1, 0, 1]
        }
        // 64 * 3 + 62 + 1 (the root) = 255 bytes
        _ = try DNSMessage(parsing: message(labels: [63, 63, 63, 61]))
        #expect(throws: DNSMessageError.nameTooLong(at: 12 + 64 * 3)) { try DNSMessage(parsing: message(labels: [63, 63, 63, 62])) }
    }

    /// RDLENGTH that does not fit: an A of 5 bytes, an SRV whose target
    /// runs past its data, a length past the end.
    @Test func lyingRecordLengthsAreRefused() {
        var a = DNSBytes(id: 1, flags: 0x8180)
        a.record("x", type: 1) { $0.raw([1, 2, 3, 4, 5]) }
        #expect(throws: DNSMessageError.badRecordLength(at: 25)) { try DNSMessage(parsing: a.bytes) }
        var srv = DNSBytes(id: 1, flags: 0x8180)
        srv.record("x", type: 33, length: 8) { $0.raw([0, 1, 0, 1, 0x13, 0xC4]); $0.name("abc") }
        #expect(throws: DNSMessageError.badRecordLength(at: 25)) { try DNSMessage(parsing: srv.bytes) }
        var long = DNSBytes(id: 1, flags: 0x8180)
        long.record("x", type: 16, length: 900) { $0.raw([1, 2]) }
        #expect(throws: DNSMessageError.truncated(at: 25)) { try DNSMessage(parsing: long.bytes) }
    }

    /// Every prefix of a real answer is refused, and counts larger than the
    /// records present too.
    @Test func everyTruncationIsRefused() {
        for n in 0..<Self.srvAnswer.count {
            #expect(throws: DNSMessageError.self) { try DNSMessage(parsing: Array(Self.srvAnswer.prefix(n))) }
        }
        var lying = Self.srvAnswer
        lying[7] = 0xFF  // 255 answers
        #expect(throws: DNSMessageError.self) { try DNSMessage(parsing: lying) }
    }

    /// 200,000 random messages and mutations of a real one: each is read or
    /// refused (a crash or a hang fails the run).
    /// (On a thread of its own: seconds of work off the cooperative pool.)
    @Test(.timeLimit(.minutes(2))) func randomBytesNeverCrash() async {
        let read = await onOwnThread { () -> Int in
            var random = SeededGenerator(seed: 3263)
            var read = 0
            for i in 0..<200_000 {
                var bytes: [UInt8]
                if i % 2 == 0 {
                    bytes = Self.srvAnswer
                    for _ in 0..<Int.random(in: 1...6, using: &random) {
                        bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                    }
                } else {
                    bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                }
                if (try? DNSMessage(parsing: bytes)) != nil { read += 1 }
            }
            return read
        }
        #expect(read > 0, "some mutations still read")
    }
}

/// Builds DNS messages for the tests: a header, questions and records,
/// names written out label by label (no compression unless raw).
struct DNSBytes {
    var bytes: [UInt8]
    private var answerCount = 0

    init(id: UInt16, flags: UInt16, questions: Int = 0) {
        bytes = [UInt8(id >> 8), UInt8(id & 0xFF), UInt8(flags >> 8), UInt8(flags & 0xFF),
                 UInt8(questions >> 8), UInt8(questions & 0xFF), 0, 0, 0, 0, 0, 0]
    }

    mutating func name(_ name: String) {
        for label in name.split(separator: ".") { bytes += [UInt8(label.utf8.count)] + Array(label.utf8) }
        bytes.append(0)
    }

    mutating func raw(_ more: [UInt8]) { bytes += more }

    mutating func question(_ name: String, type: UInt16 = 1) {
        self.name(name)
        bytes += [UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
        let count = (Int(bytes[4]) << 8 | Int(bytes[5])) + 1
        bytes[4] = UInt8(count >> 8)
        bytes[5] = UInt8(count & 0xFF)
    }

    /// A record in the answer section; `length` overrides the RDLENGTH written.
    mutating func record(_ name: String, type: UInt16, ttl: UInt32 = 60, length: Int? = nil, data: (inout DNSBytes) -> Void) {
        self.name(name)
        bytes += [UInt8(type >> 8), UInt8(type & 0xFF), 0, 1,
                  UInt8(ttl >> 24), UInt8((ttl >> 16) & 0xFF), UInt8((ttl >> 8) & 0xFF), UInt8(ttl & 0xFF), 0, 0]
        let lengthAt = bytes.count - 2
        let start = bytes.count
        data(&self)
        let n = length ?? (bytes.count - start)
        bytes[lengthAt] = UInt8(n >> 8)
        bytes[lengthAt + 1] = UInt8(n & 0xFF)
        answerCount += 1
        bytes[6] = UInt8(answerCount >> 8)
        bytes[7] = UInt8(answerCount & 0xFF)
    }
}
