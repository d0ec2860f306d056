import Foundation
import IVRBytecode
import IVRRuntime
import Synchronization
import Testing
@testable import IVRSIP

/// The UAS over real UDP on 127.0.0.1 with short timers (T1 = 20 ms):
/// routing, rejections, retransmissions, CANCEL, a call with RTP, and hostile input.
@Suite(.serialized) struct ServerTests {
    static let flow = """
        ivr: main
        extension: "100"
        nodes:
          welcome:
            menu:
              prompt: {say: "Press 1"}
              options:
                "1": bye
              timeout: 5s
          bye:
            - say: Goodbye
            - hangup
        """

    final class Harness {
        let server: IVRServer
        let records = RecordSink()
        let client = UDPClient()
        let folder: String
        var port: Int { server.endpoint.localPort }

        init(maxCalls: Int = 100) async throws {
            folder = NSTemporaryDirectory() + "ivrsip-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try ServerTests.flow.write(toFile: folder + "/main.yaml", atomically: true, encoding: .utf8)
            let bundle = try BuildPipeline.build(paths: [folder + "/main.yaml"], currentDirectory: folder).get().bundle
            let services = CallServices(prompts: PromptAudio(folders: [folder]), tts: .none, recordingsFolder: folder,
                                        referTarget: ReferTarget(pbx: "pbx.example", trunk: nil), webhook: nil)
            let sink = records
            server = IVRServer(bundle: bundle, services: services, records: nil) { line in
                if let r = CallRecord.parse(line: line) { sink.append(r) }
            }
            var config = SIPConfiguration(host: "127.0.0.1", port: 0, rtpPorts: 31000...31999, maxCalls: maxCalls)
            config.t1 = 20
            config.t2 = 160
            try await server.start(configuration: config)
        }

        func stop() async {
            await server.shutdown()
            try? FileManager.default.removeItem(atPath: folder)
        }

        func request(_ method: String, user: String = "100", callID: String, cseq: Int = 1, toTag: String? = nil,
                     branch: String = "z9hG4bK\(UUID().uuidString.prefix(8))", body: String = "", type: String? = nil) -> String {
            var s = "\(method) sip:\(user)@127.0.0.1:\(port) SIP/2.0\r\n"
            s += "Via: SIP/2.0/UDP 127.0.0.1:\(client.port);branch=\(branch);rport\r\n"
            s += "From: <sip:tester@127.0.0.1>;tag=caller\r\nTo: <sip:\(user)@127.0.0.1>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
            s += "Call-ID: \(callID)\r\nCSeq: \(cseq) \(method)\r\nContact: <sip:tester@127.0.0.1:\(client.port)>\r\nMax-Forwards: 70\r\n"
            if let type { s += "Content-Type: \(type)\r\n" }
            return s + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        }

        func offer(rtpPort: Int, codecs: String = "0 101") -> String {
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio \(rtpPort) RTP/AVP \(codecs)\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
        }

        func waitForNoCalls() async -> Bool {
            for _ in 0..<100 {
                if await server.endpoint.activeCallCount() == 0 { return true }
                try? await Task.sleep(for: .milliseconds(30))
            }
            return false
        }
    }

    @Test func optionsRoutingAndRejections() async throws {
        let h = try await Harness()
        h.client.send(h.request("OPTIONS", callID: "o1"), toPort: h.port)
        let (ok, _) = h.client.receiveSIP { $0.status != nil }
        #expect(ok?.status == 200)
        #expect(ok?.header("Allow")?.contains("INVITE") == true)
        h.client.send(h.request("INVITE", user: "nobody", callID: "i404", body: h.offer(rtpPort: 4000), type: "application/sdp"), toPort: h.port)
        #expect(h.client.receiveSIP { ($0.status ?? 0) >= 200 }.0?.status == 404)
        h.client.send(h.request("INVITE", callID: "i488", body: h.offer(rtpPort: 4000, codecs: "18"), type: "application/sdp"), toPort: h.port)
        #expect(h.client.receiveSIP { ($0.status ?? 0) >= 200 }.0?.status == 488)
        h.client.send(h.request("BYE", callID: "unknown", toTag: "zzz"), toPort: h.port)
        #expect(h.client.receiveSIP { $0.status != nil }.0?.status == 481)
        h.client.send(h.request("INFO", callID: "unknown", toTag: "zzz"), toPort: h.port)
        #expect(h.client.receiveSIP { $0.status != nil }.0?.status == 481)
        // A request the parser refuses gets 400 when it can be addressed.
        h.client.send("INVITE sip:100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:\(h.client.port);branch=z9hG4bKbad\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: bad\r\nCSeq: 1 INVITE\r\nContent-Length: 500\r\n\r\n", toPort: h.port)
        #expect(h.client.receiveSIP { $0.status != nil }.0?.status == 400)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    @Test func callerThatNeverACKsGetsRetransmissionsThenBYE() async throws {
        let h = try await Harness()
        h.client.send(h.request("INVITE", callID: "noack", body: h.offer(rtpPort: 4002), type: "application/sdp"), toPort: h.port)
        let (bye, seen) = h.client.receiveSIP(timeout: 4) { $0.method == "BYE" }
        let oks = seen.filter { $0.status == 200 }
        #expect(seen.contains { $0.status == 100 })
        #expect(oks.count >= 4, "the 200 OK is retransmitted until 64*T1")
        #expect(oks.first?.header("Content-Type") == "application/sdp")
        #expect(bye != nil)
        #expect(await h.waitForNoCalls())
        try? await Task.sleep(for: .milliseconds(100))
        #expect(h.records.first("noack")?.outcome == "error")
        await h.stop()
    }

    @Test func cancelBeforeAnswerGets487() async throws {
        let h = try await Harness()
        let branch = "z9hG4bKcancelme"
        h.client.send(h.request("INVITE", callID: "cx", branch: branch, body: h.offer(rtpPort: 4004), type: "application/sdp"), toPort: h.port)
        h.client.send(h.request("CANCEL", callID: "cx", branch: branch), toPort: h.port)
        let (final, seen) = h.client.receiveSIP { $0.status == 487 || $0.status == 200 && $0.header("CSeq")?.hasSuffix("INVITE") == true }
        let all = seen + (final.map { [$0] } ?? [])
        // Either CANCEL won (200 to CANCEL and 487) or the answer did (200 INVITE): never a leak.
        if final?.status == 487 {
            #expect(all.contains { $0.status == 200 && $0.header("CSeq")?.hasSuffix("CANCEL") == true })
        }
        #expect(final != nil)
        if final?.status == 200 { h.client.send(h.request("BYE", callID: "cx", cseq: 2, toTag: final?.header("To")?.components(separatedBy: "tag=").last), toPort: h.port) }
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    @Test func aCallWithPacedRTPAndRFC4733() async throws {
        let h = try await Harness()
        let rtp = UDPClient()
        h.client.send(h.request("INVITE", callID: "call1", body: h.offer(rtpPort: rtp.port), type: "application/sdp"), toPort: h.port)
        let (ok, _) = h.client.receiveSIP { $0.status == 200 }
        let answer = try #require(ok)
        #expect(answer.body.contains("a=rtpmap:0 PCMU/8000"))
        #expect(answer.body.contains("a=rtpmap:101 telephone-event/8000"))
        #expect(answer.body.contains("a=ptime:20"))
        let tag = try #require(answer.header("To")?.components(separatedBy: "tag=").last)
        let serverRTP = try #require(answer.body.components(separatedBy: "m=audio ").last.flatMap { Int($0.prefix { $0.isNumber }) })
        h.client.send(h.request("ACK", callID: "call1", toTag: tag), toPort: h.port)
        var packets: [(RTPPacket, Date)] = []
        while packets.count < 25, let bytes = rtp.receive(timeout: 2), let p = try? RTPPacket.decode(bytes) { packets.append((p, Date())) }
        #expect(packets.count == 25)
        #expect(packets.first?.0.marker == true)
        #expect(packets.dropFirst().allSatisfy { !$0.0.marker })
        for (a, b) in zip(packets, packets.dropFirst()) {
            #expect(b.0.sequenceNumber == a.0.sequenceNumber &+ 1)
            #expect(b.0.timestamp == a.0.timestamp &+ 160)
            #expect(b.0.payload.count == 160)
        }
        let span = packets.last!.1.timeIntervalSince(packets.first!.1)
        #expect(span > 0.40 && span < 0.60, "24 intervals of 20 ms, got \(span)")
        // Press 1 (start + 3 end packets): the flow says goodbye and hangs up with BYE.
        for (i, end) in [false, true, true, true].enumerated() {
            let p = RTPPacket(payloadType: 101, sequenceNumber: UInt16(100 + i), timestamp: 4242, ssrc: 9,
                              payload: TelephoneEvent(event: 1, end: end, duration: 800).payload)
            rtp.send(p.encoded(), toPort: serverRTP)
        }
        let (bye, _) = h.client.receiveSIP(timeout: 5) { $0.method == "BYE" }
        #expect(bye != nil)
        #expect(await h.waitForNoCalls())
        try? await Task.sleep(for: .milliseconds(200))
        let record = h.records.first("call1")
        #expect(record?.outcome == "hangup")
        #expect(record?.inputs.map(\.digits) == ["1"])
        #expect(record?.path == ["welcome", "bye"])
        await h.stop()
    }

    @Test func garbageFloodsAndCapacity() async throws {
        let h = try await Harness(maxCalls: 1)
        var generator = SystemRandomNumberGenerator()
        for i in 0..<3000 {
            let n = Int.random(in: 0...1400, using: &generator)
            var junk = (0..<n).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if i % 3 == 0 { junk = Array("INVITE sip:100@x SIP/2.0\r\nVia: ".utf8) + junk }
            h.client.send(junk, toPort: h.port)
        }
        h.client.send([UInt8](repeating: 0x41, count: 65_000), toPort: h.port)
        while h.client.receive(timeout: 0.3) != nil {}  // drain any 400s
        h.client.send(h.request("OPTIONS", callID: "alive"), toPort: h.port)
        #expect(h.client.receiveSIP { $0.status != nil }.0?.status == 200, "still answering after the flood")
        // One call fills the server; the next INVITE gets 503.
        h.client.send(h.request("INVITE", callID: "first", body: h.offer(rtpPort: 4010), type: "application/sdp"), toPort: h.port)
        let ok = h.client.receiveSIP { $0.status == 200 }.0
        h.client.send(h.request("INVITE", callID: "second", body: h.offer(rtpPort: 4012), type: "application/sdp"), toPort: h.port)
        #expect(h.client.receiveSIP { ($0.status ?? 0) >= 300 }.0?.status == 503)
        let tag = ok?.header("To")?.components(separatedBy: "tag=").last
        h.client.send(h.request("ACK", callID: "first", toTag: tag), toPort: h.port)
        h.client.send(h.request("BYE", callID: "first", cseq: 2, toTag: tag), toPort: h.port)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }
}

/// Call records printed by a test server.
final class RecordSink: Sendable {
    private let records = Mutex<[CallRecord]>([])
    func append(_ r: CallRecord) { records.withLock { $0.append(r) } }
    func first(_ id: String) -> CallRecord? { records.withLock { $0.first { $0.id == id } } }
}
