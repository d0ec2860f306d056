import Foundation
import IVRRuntime
import Testing

/// The call record's `media.srtp`: written with the suite and the drop
/// counts, read back, and absent for a plain call.
@Suite struct CallRecordMediaTests {
    static func record() -> CallRecord {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        return CallRecord(id: "c1", flow: "main", from: "sip:a@x", to: "sip:100@y", backend: "sip", start: start,
                          answer: start, end: start.addingTimeInterval(3), outcome: "hangup", destination: nil, path: [], inputs: [])
    }

    @Test func srtpIsWrittenAndReadBack() throws {
        var r = Self.record()
        r.media = CallRecord.Media(srtp: CallRecord.SRTP(suite: "AES_CM_128_HMAC_SHA1_80",
                                                         packetsDropped: .init(replay: 1, auth: 2, other: 0)))
        let line = r.jsonLine()
        #expect(line.contains(#""media":{"srtp":{"packetsDropped":{"auth":2,"other":0,"replay":1},"suite":"AES_CM_128_HMAC_SHA1_80"}}"#))
        #expect(CallRecord.parse(line: line) == r)
    }

    @Test func aPlainCallHasNoMedia() {
        let line = Self.record().jsonLine()
        #expect(!line.contains("media"))
        #expect(CallRecord.parse(line: line)?.media == nil)
    }
}
