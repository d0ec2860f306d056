import Foundation
import IVRTestSupport
import Testing
@testable import IVRSIP

/// RFC 3261 18.1.1: a request that would go over UDP but is larger than
/// 1,300 bytes goes over TCP to the same address, and over UDP after all
/// when the peer refuses TCP.
@Suite(.serialized, .dedicatedExecutor) struct LargeRequestOverTCPTests {
    /// A From user that makes the INVITE about 2 KB.
    static let longUser = String(repeating: "a", count: 1_200)

    @Test func aLargeInviteGoesOverTCPToTheSameAddress() async throws {
        let port = SIPpRun.freePort()
        let callee = try await ServerHarness { config in
            config.listeners = [SIPListenAddress(.udp, host: "127.0.0.1", port: port), SIPListenAddress(.tcp, host: "127.0.0.1", port: port)]
        }
        let caller = try await ServerHarness()
        let endpoint = caller.server.endpoint
        let answered = Task { () -> String in
            do { _ = try await endpoint.placeCall(to: "sip:100@127.0.0.1:\(port)", flow: 0, fromUser: Self.longUser) } catch {
                return "\(error)"
            }
            return "answered"
        }
        #expect(await answered.value == "answered")
        let calleeEndpoint = callee.server.endpoint
        let stats = try await calleeEndpoint.eventLoop.submit { calleeEndpoint.stats }.get()
        #expect(stats.connectionsAccepted == 1, "the INVITE came over TCP")
        #expect(stats.callsAnswered == 1)
        caller.server.endpoint.hangUpAll()
        #expect(await caller.waitForNoCalls())
        #expect(await callee.waitForNoCalls())
        await caller.stop()
        await callee.stop()
    }

    @Test func aPeerWithoutTCPGetsItOverUDP() async throws {
        let caller = try await ServerHarness()
        let callee = UDPClient()  // nothing listens on its port over TCP: the connection is refused
        let endpoint = caller.server.endpoint
        let call = Task { () -> String in
            do { _ = try await endpoint.placeCall(to: "sip:bob@127.0.0.1:\(callee.port)", flow: 0, fromUser: Self.longUser) } catch {
                return "\(error)"
            }
            return "answered"
        }
        let invite = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        #expect(invite.text.utf8.count > 1_300)
        #expect(invite.header("Via")?.hasPrefix("SIP/2.0/UDP 127.0.0.1:\(caller.port);") == true, "\(invite.header("Via") ?? "")")
        callee.send(OutboundCallTests.response(to: invite, "486 Busy Here", toTag: "b1"), toPort: caller.port)
        #expect(await call.value.contains("486"), "the call went on over UDP to its answer")
        await caller.stop()
    }

    @Test func theTopViaNamesTCP() {
        var h = SIPHeaders()
        h.add("Via", "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKone;rport")
        h.add("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKtwo")
        let moved = SIPMessage.request("INVITE", uri: "sip:a@b", headers: h).withTopViaTransport(.tcp)
        #expect(moved.headers.rawValues("Via") == ["SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKone;rport",
                                                   "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKtwo"])
    }
}
