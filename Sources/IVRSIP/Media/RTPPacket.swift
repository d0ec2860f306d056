/// An RTP packet (RFC 3550 section 5.1):
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P|X|  CC   |M|     PT      |       sequence number         |
///     |                           timestamp                           |
///     |           synchronization source (SSRC) identifier            |
///     |            contributing source (CSRC) identifiers (CC)        |
///     |   [extension: profile(16) length(16) words...]  payload  pad  |
///
/// Decoding skips CSRCs and the extension and strips padding, refusing any
/// length that does not fit.
public struct RTPPacket: Sendable, Equatable {
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var payload: [UInt8]

    public init(marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32, payload: [UInt8]) {
        self.marker = marker
        self.payloadType = payloadType & 0x7F
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.payload = payload
    }

    /// Why bytes are not an RTP packet.
    public enum DecodeError: Error, Sendable, Equatable {
        case tooShort, badVersion, badLength
    }

    /// Reads the packet in place from any byte collection indexed by
    /// offsets (an `[UInt8]`, or the receive buffer's `readableBytesView`);
    /// the payload is the one part copied out, into `payload`.
    public static func decode<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes) throws(DecodeError) -> RTPPacket
    where Bytes.Index == Int {
        try Header(b).packet(from: b)
    }

    /// A packet's fixed header and where its payload lies, read in place
    /// without copying anything: a receiver that only counts or relays a
    /// packet's header-level facts needs no payload array.
    public struct Header: Sendable, Equatable {
        public var marker: Bool
        public var payloadType: UInt8
        public var sequenceNumber: UInt16
        public var timestamp: UInt32
        public var ssrc: UInt32
        /// The payload's offsets from the start of the bytes read.
        public var payload: Range<Int>

        /// Reads the header of `b` (see `RTPPacket.decode` for what is refused).
        public init<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes) throws(DecodeError) where Bytes.Index == Int {
            let base = b.startIndex
            func byte(_ offset: Int) -> UInt8 { b[base + offset] }
            guard b.count >= 12 else { throw .tooShort }
            guard byte(0) >> 6 == 2 else { throw .badVersion }
            let padding = byte(0) & 0x20 != 0
            let hasExtension = byte(0) & 0x10 != 0
            let csrcCount = Int(byte(0) & 0x0F)
            var offset = 12 + 4 * csrcCount
            if hasExtension {
                guard b.count >= offset + 4 else { throw .badLength }
                let words = Int(byte(offset + 2)) << 8 | Int(byte(offset + 3))
                offset += 4 + 4 * words
            }
            var end = b.count
            if padding {
                guard let last = b.last, last > 0 else { throw .badLength }
                end -= Int(last)
            }
            guard offset <= end else { throw .badLength }
            marker = byte(1) & 0x80 != 0
            payloadType = byte(1) & 0x7F
            sequenceNumber = UInt16(byte(2)) << 8 | UInt16(byte(3))
            timestamp = UInt32(byte(4)) << 24 | UInt32(byte(5)) << 16 | UInt32(byte(6)) << 8 | UInt32(byte(7))
            ssrc = UInt32(byte(8)) << 24 | UInt32(byte(9)) << 16 | UInt32(byte(10)) << 8 | UInt32(byte(11))
            payload = offset..<end
        }

        /// The payload within `b` (the bytes this header was read from), not copied.
        public func payload<Bytes: RandomAccessCollection<UInt8>>(in b: Bytes) -> Bytes.SubSequence where Bytes.Index == Int {
            b[(b.startIndex + payload.lowerBound)..<(b.startIndex + payload.upperBound)]
        }

        /// The whole packet, its payload copied out of `b` (the bytes this header was read from).
        public func packet<Bytes: RandomAccessCollection<UInt8>>(from b: Bytes) -> RTPPacket where Bytes.Index == Int {
            RTPPacket(marker: marker, payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp,
                      ssrc: ssrc, payload: Array(payload(in: b)))
        }
    }

    /// The 12-byte header (no CSRC, no extension, no padding) and the payload.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(12 + payload.count)
        out.append(0x80)
        out.append((marker ? 0x80 : 0) | payloadType)
        out.append(UInt8(sequenceNumber >> 8)); out.append(UInt8(sequenceNumber & 0xFF))
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8((timestamp >> UInt32(shift)) & 0xFF)) }
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8((ssrc >> UInt32(shift)) & 0xFF)) }
        out.append(contentsOf: payload)
        return out
    }
}
