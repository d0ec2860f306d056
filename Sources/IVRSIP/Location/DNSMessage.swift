/// A DNS response (RFC 1035 4.1), read from its bytes: the header, the
/// questions skipped, and the records of the answer and additional
/// sections (the authority section is read past). Only what server
/// location needs is decoded: SRV (RFC 2782), A, AAAA and CNAME; other
/// types keep their type number only.
///
/// The reader is pure and bounded: every read is checked against the end
/// of the message, a name has at most 255 bytes and follows at most 64
/// compression pointers, and each pointer must go backwards, so a hostile
/// answer ends in `DNSMessageError`, never a crash or a loop.
public struct DNSMessage: Sendable, Equatable {
    public var id: UInt16
    /// The header's flag bits (QR, opcode, AA, TC, RD, RA, Z, RCODE).
    public var flags: UInt16
    public var answers: [DNSRecord]
    public var additionals: [DNSRecord]

    /// RCODE (RFC 1035 4.1.1): 0 no error, 2 server failure, 3 no such name, …
    public var responseCode: Int { Int(flags & 0x000F) }
    /// The TC bit: the answer was cut to fit a datagram.
    public var isTruncated: Bool { flags & 0x0200 != 0 }

    public init(id: UInt16, flags: UInt16, answers: [DNSRecord], additionals: [DNSRecord]) {
        self.id = id
        self.flags = flags
        self.answers = answers
        self.additionals = additionals
    }

    /// The most bytes a name takes written out (RFC 1035 3.1).
    static let maxNameLength = 255
    /// The most compression pointers one name may follow.
    static let maxPointers = 64

    /// Reads a whole message; anything out of bounds, a bad label or a
    /// pointer loop throws.
    public init(parsing bytes: [UInt8]) throws(DNSMessageError) {
        var reader = DNSReader(bytes: bytes)
        id = try reader.u16()
        flags = try reader.u16()
        let questions = try reader.u16(), answerCount = try reader.u16()
        let authorityCount = try reader.u16(), additionalCount = try reader.u16()
        for _ in 0..<questions {
            _ = try reader.name()
            try reader.skip(4)
        }
        answers = []
        for _ in 0..<answerCount { answers.append(try reader.record()) }
        for _ in 0..<authorityCount { _ = try reader.record() }
        additionals = []
        for _ in 0..<additionalCount { additionals.append(try reader.record()) }
    }

    /// Every record of both sections (answers first).
    public var records: [DNSRecord] { answers + additionals }
}

/// Why bytes are not a DNS message.
public enum DNSMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated(at: Int)
    case badLabel(at: Int)
    case nameTooLong(at: Int)
    case badPointer(at: Int)
    case badRecordLength(at: Int)

    public var description: String {
        switch self {
        case .truncated(let at): "the DNS message ends early (byte \(at))"
        case .badLabel(let at): "bad label in a DNS name (byte \(at))"
        case .nameTooLong(let at): "a DNS name longer than 255 bytes (byte \(at))"
        case .badPointer(let at): "bad compression pointer in a DNS name (byte \(at))"
        case .badRecordLength(let at): "a DNS record's data length does not fit its type (byte \(at))"
        }
    }
}
