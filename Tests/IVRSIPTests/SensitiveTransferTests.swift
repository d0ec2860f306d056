import Foundation
import IVRTestSupport
import IVRRuntime
import Logging
import Synchronization
import Testing
@testable import IVRSIP

/// `ivrc serve` transferring to a destination made from a sensitive
/// capture: the REFER goes to the real extension; the call record and the
/// server's log lines show `***`.
@Suite(.serialized, .dedicatedExecutor) struct SensitiveTransferTests {
    static let flow = """
        ivr: main
        extension: "100"
        nodes:
          ask:
            - capture: {prompt: {say: "PIN"}, into: pin, min: 4, max: 4, sensitive: true}
            - set: {copy: "${pin}"}
            - transfer: {extension: "${copy}", allow: "^[0-9]{4}$"}
        """

    @Test func referUsesTheRealValueRecordAndLogsDoNot() async throws {
        let lines = LogLines()
        var logger = Logger(label: "test", factory: { _ in LineLogHandler(lines: lines) })
        logger.logLevel = .info
        // RFC 3261 timers (T1 = 500 ms): the REFER waits 32 s for its 202, not 1.28 s.
        let h = try await ServerHarness(flow: Self.flow, logger: logger) { $0.t1 = 500; $0.t2 = 4000 }
        let rtp = UDPClient()
        let ok = try #require(await h.establish(callID: "pin1", rtp: rtp))
        let serverRTP = try #require(ok.audioPort)
        // Generous waits: at the start of a full `swift test` on 2 cores, the
        // cooperative pool that runs the call's flow can stall for 40 s.
        #expect(await rtp.receive(timeout: 90) != nil, "the prompt has started: the flow waits for keys")
        // RFC 4733 keys (no SIP answers to read past on the way to the REFER).
        for (i, key) in [UInt8(4), 3, 2, 1].enumerated() {
            for bytes in ServerHarness.keyPress(key, timestamp: 8000 * UInt32(i + 1), sequence: UInt16(100 + 10 * i)) {
                rtp.send(bytes, toPort: serverRTP)
            }
        }
        let (found, seen) = await h.client.receiveSIP(timeout: 90) { $0.method == "REFER" }
        let early = found == nil ? await h.record("pin1")?.jsonLine() : nil
        let refer = try #require(found, "no REFER; got \(seen.map(\.firstLine)); record \(early ?? "none")")
        #expect(refer.header("Refer-To") == "<sip:4321@pbx.example>")
        h.client.send(Self.accepted(refer), toPort: h.port)
        h.client.send(h.request("NOTIFY", callID: "pin1", cseq: 10, toTag: ok.toTag, body: "SIP/2.0 200 OK\r\n",
                                type: "message/sipfrag",
                                extraHeaders: "Event: refer\r\nSubscription-State: terminated;reason=noresource\r\n"), toPort: h.port)
        let bye = try #require(await h.client.receiveSIP(timeout: 90) { $0.method == "BYE" }.0)
        h.client.send(Self.accepted(bye, status: "200 OK"), toPort: h.port)
        var written: CallRecord?
        for _ in 0..<9 where written == nil { written = await h.record("pin1") }
        let record = try #require(written)
        #expect(record.outcome == "transfer")
        #expect(record.destination == CallRecord.Destination(kind: "extension", value: "***"))
        #expect(record.inputs.map(\.digits) == ["***"])
        #expect(!record.jsonLine().contains("4321"))
        let ended = lines.all.filter { $0.contains("call ended") }
        #expect(ended.count == 1 && ended.allSatisfy { $0.contains("refer-to: ***") }, "\(lines.all)")
        #expect(!lines.all.contains { $0.contains("4321") }, "\(lines.all)")
        await h.stop()
    }

    /// The UAC's answer to a request of the server (202 to REFER, 200 to BYE).
    static func accepted(_ request: SIPMessageView, status: String = "202 Accepted") -> String {
        var s = "SIP/2.0 \(status)\r\n"
        for name in ["Via", "From", "To", "Call-ID", "CSeq"] {
            if let value = request.header(name) { s += "\(name): \(value)\r\n" }
        }
        return s + "Content-Length: 0\r\n\r\n"
    }
}

/// Every log line with its metadata, sorted by key.
final class LogLines: Sendable {
    private let list = Mutex<[String]>([])
    var all: [String] { list.withLock { $0 } }
    func add(_ line: String) { list.withLock { $0.append(line) } }
}

struct LineLogHandler: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.add("\(event.message) " + all.keys.sorted().map { "\($0): \(all[$0].map { "\($0)" } ?? "")" }.joined(separator: ", "))
    }
}
