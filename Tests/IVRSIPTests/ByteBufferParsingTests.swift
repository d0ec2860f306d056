import NIOCore
import Testing
@testable import IVRSIP

/// The parsers read a datagram where NIO put it (`ByteBuffer.readableBytesView`,
/// whose indices start at the buffer's reader index, not 0) and find what
/// they find in the same bytes as an array.
@Suite struct ByteBufferParsingTests {
    /// `bytes` in a buffer behind `skipped` bytes already read.
    static func view(_ bytes: [UInt8], skipped: Int = 7) -> ByteBufferView {
        var buffer = ByteBuffer()
        buffer.writeBytes([UInt8](repeating: 0x41, count: skipped) + bytes)
        buffer.moveReaderIndex(forwardBy: skipped)
        return buffer.readableBytesView
    }

    @Test func sipFromABufferEqualsSIPFromAnArray() throws {
        let text = "\r\nOPTIONS sip:100@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
            + "To: <sip:100@example.com>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 4\r\n\r\nbodyEXTRA"
        let bytes = Array(text.utf8)
        let view = Self.view(bytes)
        #expect(view.startIndex != 0)
        let fromBuffer = try SIPParser.parse(view)
        #expect(fromBuffer == (try SIPParser.parse(bytes)))
        #expect(fromBuffer.body == Array("body".utf8))
        #expect(fromBuffer.headers["Call-ID"] == "c1")
    }

    @Test func garbageFromABufferGetsTheSameError() {
        for text in ["INVITE sip:x SIP/2.0\r\nno colon\r\n\r\n", "\r\n\r\n", "SIP/3.0 200 OK\r\n\r\n", "INVITE sip:x SIP/2.0\r\nContent-Length: 9\r\n\r\nab"] {
            let bytes = Array(text.utf8)
            var fromArray: SIPParseError?
            var fromBuffer: SIPParseError?
            do { _ = try SIPParser.parse(bytes) } catch { fromArray = error }
            do { _ = try SIPParser.parse(Self.view(bytes)) } catch { fromBuffer = error }
            #expect(fromArray != nil, "\(text)")
            #expect(fromBuffer?.message == fromArray?.message && fromBuffer?.status == fromArray?.status, "\(text)")
        }
        #expect(MalformedRequest.salvage(Self.view(Array("x".utf8))) == nil)
    }

    @Test func rtpFromABufferEqualsRTPFromAnArray() throws {
        var b: [UInt8] = [0xB1, 8, 0, 1, 0, 0, 0, 160, 0, 0, 0, 9]  // V=2 P X CC=1
        b += [0, 0, 0, 7, 0xBE, 0xDE, 0, 1, 1, 2, 3, 4, 0xAA, 0xBB, 0, 0, 3]
        let packet = try RTPPacket.decode(Self.view(b))
        #expect(packet == (try RTPPacket.decode(b)))
        #expect(packet.payload == [0xAA, 0xBB])
        #expect(throws: RTPPacket.DecodeError.tooShort) { try RTPPacket.decode(Self.view([0x80, 0])) }
    }
}
