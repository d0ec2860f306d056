import Foundation
import IVRTestSupport
import IVRBytecode
import IVRRuntime
import Logging
import Synchronization
@testable import IVRSIP

/// An `IVRServer` on 127.0.0.1 (any free port, short timers: T1 = 20 ms,
/// so timer H is 1.28 s) running one flow, a SIP client socket, and
/// helpers to write requests and SDP offers. Waits are generous (seconds)
/// so a loaded machine does not fail the tests; nothing asserts a short delay.
final class ServerHarness {
    static let flow = """
        ivr: main
        extension: "100"
        nodes:
          welcome:
            menu:
              prompt: {say: "Press 1"}
              options:
                "1": bye
                "2": other
              timeout: 5s
          other: hangup
          bye:
            - play: goodbye.pcm
            - hangup
        """

    static let next = Atomic(0)
    let server: IVRServer
    let records = RecordSink()
    let client = UDPClient()
    let folder: String
    var port: Int { server.endpoint.localPort }

    /// `moreFlows`: further flow files (`more1.yaml`, ...) built with `flow`.
    /// `serverName`: the node's `--server` (default: the host name).
    init(maxCalls: Int = 100, flow: String = ServerHarness.flow, moreFlows: [String] = [], logger: Logger = CallServices.quietLogger(),
         serverName: String? = nil, metrics: IVRMetrics = .none, configure: (inout SIPConfiguration) -> Void = { _ in },
         webhook: (@Sendable (WebhookRequest) async throws -> WebhookResponse)? = nil) async throws {
        folder = NSTemporaryDirectory() + "ivrsip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try flow.write(toFile: folder + "/main.yaml", atomically: true, encoding: .utf8)
        // "Goodbye": 3 s of a quiet 440 Hz tone (8 kHz PCM16 little-endian), long
        // enough to hang up during it, and quieter than `say` without TTS (peak 8000).
        let goodbye = Tone.sine(hz: 440, milliseconds: 3000, amplitude: 2000).flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
        _ = FileManager.default.createFile(atPath: folder + "/goodbye.pcm", contents: Data(goodbye))
        var paths = [folder + "/main.yaml"]
        for (i, more) in moreFlows.enumerated() {
            paths.append(folder + "/more\(i + 1).yaml")
            try more.write(toFile: paths[i + 1], atomically: true, encoding: .utf8)
        }
        let built = try FlowBuild.build(paths: paths, currentDirectory: folder).get()
        let services = CallServices(prompts: PromptAudio(folders: [folder]), tts: .none, recordingsFolder: folder,
                                    referTarget: ReferTarget(pbx: "pbx.example", trunk: nil), webhook: webhook,
                                    logger: logger)
        let sink = records
        server = IVRServer(bundle: built.bundle, bytes: built.bytes, server: serverName ?? IVRServer.hostName,
                           services: services, records: nil, printRecord: { line in
            if let r = CallRecord.parse(line: line) { sink.append(r) }
        }, metrics: metrics)
        // Each harness its own RTP ports (suites run in parallel; a busy port would be skipped anyway).
        let base = 31000 + 400 * (Self.next.add(1, ordering: .relaxed).oldValue % 20)
        var config = SIPConfiguration(host: "127.0.0.1", port: 0, rtpPorts: base...(base + 399), maxCalls: maxCalls)
        config.t1 = 20
        config.t2 = 160
        configure(&config)
        try await server.start(configuration: config)
    }

    func stop() async {
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }

    func request(_ method: String, user: String = "100", callID: String, cseq: Int = 1, toTag: String? = nil,
                 branch: String = "z9hG4bK\(UUID().uuidString.prefix(8))", body: String = "", type: String? = nil,
                 extraHeaders: String = "") -> String {
        var s = "\(method) sip:\(user)@127.0.0.1:\(port) SIP/2.0\r\n"
        s += "Via: SIP/2.0/UDP 127.0.0.1:\(client.port);branch=\(branch);rport\r\n"
        s += "From: <sip:tester@127.0.0.1>;tag=caller\r\nTo: <sip:\(user)@127.0.0.1>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
        s += "Call-ID: \(callID)\r\nCSeq: \(cseq) \(method)\r\nContact: <sip:tester@127.0.0.1:\(client.port)>\r\nMax-Forwards: 70\r\n"
        s += extraHeaders
        if let type { s += "Content-Type: \(type)\r\n" }
        return s + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    func offer(rtpPort: Int, codecs: String = "0 101") -> String {
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio \(rtpPort) RTP/AVP \(codecs)\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
    }

    func invite(callID: String, rtpPort: Int, branch: String = "z9hG4bK\(UUID().uuidString.prefix(8))") -> String {
        request("INVITE", callID: callID, branch: branch, body: offer(rtpPort: rtpPort), type: "application/sdp")
    }

    /// Sends a non-INVITE request and returns the response with its Call-ID,
    /// sending the same request again every 2 s without one (up to 5 times).
    func ask(_ request: String) async -> SIPMessageView? {
        let callID = SIPMessageView(text: request).header("Call-ID")
        for _ in 0..<5 {
            client.send(request, toPort: port)
            if let answer = await client.receiveSIP(timeout: 2, until: { $0.status != nil && $0.header("Call-ID") == callID }).0 {
                return answer
            }
        }
        return nil
    }

    /// INVITE, 200 OK, ACK: the answer (with the server's tag and RTP port), or nil.
    func establish(callID: String, rtp: UDPClient) async -> SIPMessageView? {
        client.send(invite(callID: callID, rtpPort: rtp.port), toPort: port)
        guard let ok = await client.receiveSIP(until: { $0.status == 200 && $0.isInviteResponse }).0 else { return nil }
        client.send(request("ACK", callID: callID, toTag: ok.toTag), toPort: port)
        return ok
    }

    /// Places a call from the server (flow 0): the task ends with
    /// `answered` or the failure's description.
    func placeCall(to target: String) -> Task<String, Never> {
        let endpoint = server.endpoint
        return Task {
            do { _ = try await endpoint.placeCall(to: target, flow: 0) } catch { return "\(error)" }
            return "answered"
        }
    }

    /// RFC 4733 packets for one key press (start, then three end packets).
    static func keyPress(_ event: UInt8, timestamp: UInt32, sequence: UInt16) -> [[UInt8]] {
        [false, true, true, true].enumerated().map { i, end in
            RTPPacket(payloadType: 101, sequenceNumber: sequence &+ UInt16(i), timestamp: timestamp, ssrc: 9,
                      payload: TelephoneEvent(event: event, end: end, duration: 800).payload).encoded()
        }
    }

    /// Reads RTP until "Goodbye" plays (a frame peaking near 2000), for up to 30 s.
    static func hearGoodbye(_ rtp: UDPClient) async -> Bool {
        var patience = Patience(seconds: 30)
        while patience.another(), let bytes = await rtp.receive(timeout: 5) {
            guard let packet = try? RTPPacket.decode(bytes) else { continue }
            let peak = packet.payload.map { abs(Int(G711.ulawDecode($0))) }.max() ?? 0
            if (1000...3000).contains(peak) { return true }
        }
        return false
    }

    /// True once no call is live (polls for up to 30 s).
    func waitForNoCalls() async -> Bool {
        for _ in 0..<600 {
            if await server.endpoint.activeCallCount() == 0 { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// True once every RTP port is back in the pool (polls for up to 30 s).
    func waitForPortsReleased() async -> Bool {
        for _ in 0..<600 {
            if server.endpoint.ports.inUse == 0 { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// The record of `callID`, once written (polls for up to 30 s).
    /// The number of records once `count` are written (a record follows the
    /// call's end a moment later), or what there is after 30 s.
    func waitForRecords(_ count: Int) async -> Int {
        for _ in 0..<600 where records.count < count {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return records.count
    }

    func record(_ callID: String) async -> CallRecord? {
        for _ in 0..<600 {
            if let r = records.first(callID) { return r }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}

/// Call records printed by a test server.
final class RecordSink: Sendable {
    private let records = Mutex<[CallRecord]>([])
    func append(_ r: CallRecord) { records.withLock { $0.append(r) } }
    func first(_ id: String) -> CallRecord? { records.withLock { $0.first { $0.id == id } } }
    var count: Int { records.withLock { $0.count } }
}
