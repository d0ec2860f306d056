import Foundation
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRSIP

/// `ivrc call`'s user agent client against a scripted callee on loopback:
/// giving up on a ringing call sends CANCEL (RFC 3261 9.1); hanging up an
/// answered one sends BYE, and the record says this side hung up. Waits
/// are a minute: early in a full run on two cores, the first packet of a
/// call can take over 10 s to leave.
@Suite(.serialized, .dedicatedExecutor) struct OutboundCallTests {
    /// A response to `request` from the callee; its Contact is the
    /// Request-URI (the callee's own address, where in-dialog requests go).
    static func response(to request: SIPMessageView, _ status: String, toTag: String?, body: String = "") -> String {
        var s = "SIP/2.0 \(status)\r\n"
        for line in request.text.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("via:") { s += line + "\r\n" }
        s += "From: \(request.header("From") ?? "")\r\n"
        s += "To: \(request.header("To") ?? "")\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
        s += "Call-ID: \(request.header("Call-ID") ?? "")\r\nCSeq: \(request.header("CSeq") ?? "")\r\n"
        if !body.isEmpty { s += "Content-Type: application/sdp\r\n" }
        let target = request.firstLine.split(separator: " ").dropFirst().first.map(String.init) ?? "sip:bob@127.0.0.1"
        return s + "Contact: <\(target)>\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    @Test func hangingUpARingingCallSendsCancel() async throws {
        let h = try await ServerHarness()
        let callee = UDPClient()
        let target = "sip:bob@127.0.0.1:\(callee.port)"
        let call = h.placeCall(to: target)
        let invite = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        callee.send(Self.response(to: invite, "180 Ringing", toTag: "b1"), toPort: h.port)
        try await Task.sleep(for: .milliseconds(200))
        h.server.endpoint.hangUpAll()
        let cancel = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "CANCEL" }.0)
        #expect(cancel.header("Call-ID") == invite.header("Call-ID"))
        #expect(cancel.header("CSeq")?.hasSuffix("CANCEL") == true)
        #expect(cancel.header("Via") == invite.header("Via"), "the INVITE's branch")
        #expect(cancel.firstLine.hasPrefix("CANCEL \(target) "))
        callee.send(Self.response(to: cancel, "200 OK", toTag: "b1"), toPort: h.port)
        callee.send(Self.response(to: invite, "487 Request Terminated", toTag: "b1"), toPort: h.port)
        #expect(await callee.receiveSIP(timeout: 60) { $0.method == "ACK" }.0 != nil, "the 487 is ACKed")
        #expect(await call.value.contains("487"))
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    @Test func hangingUpAnAnsweredCallSendsByeAndRecordsAHangup() async throws {
        let h = try await ServerHarness()
        let callee = UDPClient()
        let rtp = UDPClient()
        let target = "sip:bob@127.0.0.1:\(callee.port)"
        let call = h.placeCall(to: target)
        let invite = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        callee.send(Self.response(to: invite, "200 OK", toTag: "b2", body: h.offer(rtpPort: rtp.port)), toPort: h.port)
        #expect(await callee.receiveSIP(timeout: 60) { $0.method == "ACK" }.0 != nil)
        #expect(await call.value == "answered")
        #expect(await rtp.receive(timeout: 60) != nil, "the flow plays its prompt")
        h.server.endpoint.hangUpAll()
        let bye = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "BYE" }.0)
        callee.send(Self.response(to: bye, "200 OK", toTag: nil), toPort: h.port)
        let callID = try #require(invite.header("Call-ID"))
        let record = try #require(await h.record(callID))
        #expect(record.outcome == "hangup", "this side hung up, not the callee")
        #expect(record.to == "sip:bob@127.0.0.1:\(callee.port)")
        await h.stop()
    }
}
