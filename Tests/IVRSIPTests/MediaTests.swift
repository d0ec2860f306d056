import Foundation
import Testing
@testable import IVRSIP

@Suite struct MediaTests {
    @Test func ulawKnownValuesAndRoundTrip() {
        #expect(G711.ulawEncode(0) == 0xFF)
        #expect(G711.ulawEncode(-1) == 0x7F)
        #expect(G711.ulawEncode(32767) == 0x80)
        #expect(G711.ulawEncode(-32768) == 0x00)
        #expect(G711.ulawDecode(0xFF) == 0)
        #expect(G711.ulawDecode(0x80) == 32124)
        #expect(G711.ulawDecode(0x00) == -32124)
        // Every code decodes and re-encodes to itself (0x7F is -0 and maps to 0xFF).
        for b in 0...255 where b != 0x7F {
            #expect(G711.ulawEncode(G711.ulawDecode(UInt8(b))) == UInt8(b))
        }
    }

    @Test func alawKnownValuesAndRoundTrip() {
        #expect(G711.alawEncode(0) == 0xD5)
        #expect(G711.alawEncode(32767) == 0xAA)
        #expect(G711.alawEncode(-32768) == 0x2A)
        #expect(G711.alawDecode(0xD5) == 8)
        #expect(G711.alawDecode(0x55) == -8)
        #expect(G711.alawDecode(0xAA) == 32256)
        for b in 0...255 { #expect(G711.alawEncode(G711.alawDecode(UInt8(b))) == UInt8(b)) }
    }

    @Test func companderErrorIsSmall() {
        for s in stride(from: -32000, through: 32000, by: 97) {
            let x = Int16(s)
            let u = Int(G711.ulawDecode(G711.ulawEncode(x)))
            let a = Int(G711.alawDecode(G711.alawEncode(x)))
            let bound = max(16, abs(s) / 16)
            #expect(abs(u - s) <= bound)
            #expect(abs(a - s) <= bound)
        }
    }

    @Test func rtpEncodeDecode() throws {
        let p = RTPPacket(marker: true, payloadType: 0, sequenceNumber: 65535, timestamp: 0xDEADBEEF, ssrc: 0x01020304,
                          payload: [1, 2, 3])
        let bytes = p.encoded()
        #expect(bytes.count == 15)
        #expect(Array(bytes.prefix(4)) == [0x80, 0x80, 0xFF, 0xFF])
        #expect(try RTPPacket.decode(bytes) == p)
    }

    @Test func rtpWithCSRCExtensionAndPadding() throws {
        var b: [UInt8] = [0xB1, 8, 0, 1, 0, 0, 0, 160, 0, 0, 0, 9]  // V=2 P X CC=1
        b += [0, 0, 0, 7]  // CSRC
        b += [0xBE, 0xDE, 0, 1, 1, 2, 3, 4]  // extension, one word
        b += [0xAA, 0xBB]  // payload
        b += [0, 0, 3]  // padding, count 3
        let p = try RTPPacket.decode(b)
        #expect(p.payload == [0xAA, 0xBB])
        #expect(p.payloadType == 8)
        #expect(p.timestamp == 160)
        #expect(throws: RTPPacket.DecodeError.self) { try RTPPacket.decode([0x80, 0]) }
        #expect(throws: RTPPacket.DecodeError.self) { try RTPPacket.decode([0x40] + [UInt8](repeating: 0, count: 11)) }
        #expect(throws: RTPPacket.DecodeError.self) { try RTPPacket.decode([0xA0] + [UInt8](repeating: 0, count: 10) + [200]) }
        #expect(throws: RTPPacket.DecodeError.self) { try RTPPacket.decode([0x8F] + [UInt8](repeating: 0, count: 11)) }
    }

    @Test func telephoneEventsAreDedupedByTimestamp() {
        var filter = TelephoneEventFilter()
        func packet(_ event: UInt8, end: Bool, ts: UInt32, seq: UInt16) -> RTPPacket {
            RTPPacket(payloadType: 101, sequenceNumber: seq, timestamp: ts,
                      ssrc: 1, payload: TelephoneEvent(event: event, end: end, duration: 160).payload)
        }
        var keys: [Character] = []
        let stream = [packet(5, end: false, ts: 1000, seq: 1), packet(5, end: false, ts: 1000, seq: 2),
                      packet(5, end: true, ts: 1000, seq: 3), packet(5, end: true, ts: 1000, seq: 4),
                      packet(5, end: true, ts: 1000, seq: 5),
                      packet(5, end: true, ts: 2000, seq: 6),  // the same key again: a new press
                      packet(11, end: true, ts: 3000, seq: 7), packet(10, end: false, ts: 4000, seq: 8),
                      packet(12, end: false, ts: 5000, seq: 9), packet(200, end: false, ts: 6000, seq: 10)]
        for p in stream { if let k = filter.key(for: p) { keys.append(k) } }
        #expect(String(keys) == "55#*A")
    }

    @Test func pressesSharingATimestampAreStillSeparate() {
        var filter = TelephoneEventFilter()
        func packet(_ event: UInt8, end: Bool) -> RTPPacket {
            RTPPacket(payloadType: 101, sequenceNumber: 0, timestamp: 777, ssrc: 1,
                      payload: TelephoneEvent(event: event, end: end, duration: 160).payload)
        }
        // 1, 2, 1 again, each with start + 3 end packets, all at timestamp 777.
        let stream = [1, 2, 1].flatMap { e in [packet(e, end: false), packet(e, end: false)] + Array(repeating: packet(e, end: true), count: 3) }
        #expect(String(stream.compactMap { filter.key(for: $0) }) == "121")
    }

    @Test func dtmfInfoBodies() {
        #expect(DTMFInfo.key(contentType: "application/dtmf-relay", body: Array("Signal=5\r\nDuration=160\r\n".utf8)) == "5")
        #expect(DTMFInfo.key(contentType: "application/dtmf-relay", body: Array("Signal= #\nDuration=100".utf8)) == "#")
        #expect(DTMFInfo.key(contentType: "application/dtmf-relay", body: Array("Signal=10\r\n".utf8)) == "*")
        #expect(DTMFInfo.key(contentType: "application/dtmf", body: Array("7".utf8)) == "7")
        #expect(DTMFInfo.key(contentType: "application/dtmf", body: Array("x".utf8)) == nil)
        #expect(DTMFInfo.key(contentType: "text/plain", body: Array("5".utf8)) == nil)
        #expect(DTMFInfo.key(contentType: "application/dtmf-relay", body: Array("Duration=160".utf8)) == nil)
    }

    @Test func wavRoundTripAndFormats() throws {
        let samples: [Int16] = (0..<800).map { Int16(sin(Double($0) / 5) * 8000) }
        let wav = WAVFile.encode(samples)
        #expect(wav.count == 44 + 1600)
        #expect(try WAVFile.read8k(wav) == samples)
        // u-law and A-law WAVs decode through G.711.
        for (tag, encode) in [(7, G711.ulawEncode), (6, G711.alawEncode)] as [(UInt16, (Int16) -> UInt8)] {
            let data = samples.map(encode)
            let image = Self.wav(tag: tag, channels: 1, rate: 8000, bits: 8, data: data)
            let decoded = try WAVFile.read8k(image)
            #expect(decoded.count == samples.count)
            #expect(zip(decoded, samples).allSatisfy { abs(Int($0) - Int($1)) <= 300 })
        }
        // 16 kHz stereo is averaged and resampled to half as many samples.
        var stereo: [UInt8] = []
        for i in 0..<1600 { for v in [Int16(i), Int16(i + 2)] { stereo += WAVFile.u16(UInt16(bitPattern: v)) } }
        let resampled = try WAVFile.read8k(Self.wav(tag: 1, channels: 2, rate: 16000, bits: 16, data: stereo))
        #expect(resampled.count == 800)
        #expect(resampled[10] == 21)
        #expect(throws: WAVFile.Problem.self) { try WAVFile.read8k(Self.wav(tag: 1, channels: 1, rate: 8000, bits: 24, data: [0, 0, 0])) }
        #expect(throws: WAVFile.Problem.self) { try WAVFile.read8k(Self.wav(tag: 2, channels: 1, rate: 8000, bits: 4, data: [0])) }
        #expect(throws: WAVFile.Problem.self) { try WAVFile.read8k(Array("RIFF....WAVE".utf8)) }
        #expect(throws: WAVFile.Problem.self) { try WAVFile.read8k(Array("not a wav".utf8)) }
        // A truncated data chunk yields what is there.
        #expect(try WAVFile.read8k(Array(wav.prefix(54))).count == 5)
    }

    @Test func linearResampling() {
        #expect(Resampler.linear([0, 100, 200, 300], from: 8000, to: 8000) == [0, 100, 200, 300])
        #expect(Resampler.linear([0, 100, 200, 300], from: 16000, to: 8000) == [0, 200])
        #expect(Resampler.linear([0, 100], from: 4000, to: 8000) == [0, 50, 100, 100])
    }

    @Test func promptAudioLoadsPCMAndRefusesOthers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ivrsip-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = FileManager.default.createFile(atPath: dir + "/a.pcm", contents: Data([1, 0, 0xFF, 0xFF]))
        _ = FileManager.default.createFile(atPath: dir + "/b.mp3", contents: Data([1, 2, 3]))
        let audio = PromptAudio(folders: ["/nonexistent", dir])
        #expect(try audio.samples(for: "a.pcm") == [1, -1])
        #expect(throws: WAVFile.Problem.self) { try audio.samples(for: "b.mp3") }
        #expect(throws: WAVFile.Problem.self) { try audio.samples(for: "missing.wav") }
    }

    static func wav(tag: UInt16, channels: UInt16, rate: UInt32, bits: UInt16, data: [UInt8]) -> [UInt8] {
        var out = Array("RIFF".utf8) + WAVFile.u32(UInt32(36 + data.count)) + Array("WAVE".utf8)
        out += Array("LIST".utf8) + WAVFile.u32(3) + [1, 2, 3, 0]  // an odd-sized chunk to skip
        out += Array("fmt ".utf8) + WAVFile.u32(16) + WAVFile.u16(tag) + WAVFile.u16(channels) + WAVFile.u32(rate)
        out += WAVFile.u32(rate * UInt32(channels) * UInt32(bits) / 8) + WAVFile.u16(channels * bits / 8) + WAVFile.u16(bits)
        out += Array("data".utf8) + WAVFile.u32(UInt32(data.count)) + data
        return out
    }
}
