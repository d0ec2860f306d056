import Crypto
import Foundation
import IVRRuntime
import IVRTestSupport
import Logging
import Testing
@testable import IVRSIP

/// Digest authentication of the requests ivrc sends (RFC 3261 22.2, RFC
/// 7616), against a scripted peer that challenges: one retry per
/// challenge, stale nonces once more, clear failures, nothing loops, and
/// neither the password nor an Authorization value reaches the log.
@Suite(.serialized, .dedicatedExecutor) struct AuthenticationTests {
    static let password = "s3cret-Pa55"
    static let credentials = [DigestCredential(realm: "trunk.example", user: "acme", password: password)]

    /// The MD5 answer, computed here from RFC 7616 3.4.1 (not with ivrc's code).
    static func expectedResponse(method: String, uri: String, nonce: String, nc: String, cnonce: String, password: String = password) -> String {
        func md5(_ s: String) -> String { Insecure.MD5.hash(data: Array(s.utf8)).map { String(format: "%02x", $0) }.joined() }
        let ha1 = md5("acme:trunk.example:\(password)")
        return md5("\(ha1):\(nonce):\(nc):\(cnonce):auth:\(md5("\(method):\(uri)"))")
    }

    static func parameters(_ header: String?) -> [String: String] {
        guard let header, let list = AuthParameterList(header) else { return [:] }
        return Dictionary(list.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// A challenge response to `request`.
    static func challenge(_ request: SIPMessageView, status: String = "407 Proxy Authentication Required",
                          header: String = "Proxy-Authenticate", nonce: String, extra: String = "") -> String {
        OutboundCallTests.response(to: request, status, toTag: "ch")
            .replacingOccurrences(of: "Contact:", with: "\(header): Digest realm=\"trunk.example\", nonce=\"\(nonce)\", qop=\"auth\", algorithm=MD5\(extra)\r\nContact:")
    }

    struct Call {
        let h: ServerHarness
        let callee: UDPClient
        let task: Task<String, Never>
        let lines: LogLines
    }

    static func place(credentials: [DigestCredential] = credentials) async throws -> Call {
        let lines = LogLines()
        var logger = Logger(label: "test", factory: { _ in LineLogHandler(lines: lines) })
        logger.logLevel = .debug
        let h = try await ServerHarness(logger: logger) { $0.credentials = credentials; $0.t1 = 500; $0.t2 = 4000 }
        let callee = UDPClient()
        let target = "sip:bob@127.0.0.1:\(callee.port)"
        let task = h.placeCall(to: target)
        return Call(h: h, callee: callee, task: task, lines: lines)
    }

    /// 407 with qop=auth: the 407 is ACKed, the INVITE sent again with
    /// the next CSeq, a new branch, the same Call-ID and From tag, and a
    /// Proxy-Authorization the RFC's formula checks; the 2xx's ACK carries it too.
    @Test func anInviteChallengedBy407IsAnsweredOnce() async throws {
        let c = try await Self.place()
        let first = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        #expect(first.header("Proxy-Authorization") == nil)
        c.callee.send(Self.challenge(first, nonce: "n-1"), toPort: c.h.port)
        let ack407 = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "ACK" }.0)
        #expect(ack407.header("Via") == first.header("Via"), "the 407's ACK belongs to the first INVITE's transaction")
        let second = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        #expect(second.header("CSeq") == "2 INVITE")
        #expect(second.header("Call-ID") == first.header("Call-ID") && second.header("From") == first.header("From"))
        #expect(second.header("Via") != first.header("Via"))
        let auth = Self.parameters(second.header("Proxy-Authorization"))
        let uri = "sip:bob@127.0.0.1:\(c.callee.port)"
        #expect(auth["username"] == "acme" && auth["realm"] == "trunk.example" && auth["uri"] == uri && auth["nc"] == "00000001")
        let cnonce = try #require(auth["cnonce"])
        #expect(auth["response"] == Self.expectedResponse(method: "INVITE", uri: uri, nonce: "n-1", nc: "00000001", cnonce: cnonce))
        c.callee.send(OutboundCallTests.response(to: second, "200 OK", toTag: "b", body: c.h.offer(rtpPort: UDPClient().port)),
                      toPort: c.h.port)
        let ack = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "ACK" }.0)
        #expect(ack.header("CSeq") == "2 ACK")
        #expect(ack.header("Proxy-Authorization") == second.header("Proxy-Authorization"), "RFC 3261 13.2.2.4")
        #expect(await c.task.value == "answered")
        c.h.server.endpoint.hangUpAll()
        let bye = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "BYE" }.0)
        c.callee.send(SensitiveTransferTests.accepted(bye, status: "200 OK"), toPort: c.h.port)
        #expect(await c.h.waitForNoCalls())
        await c.h.stop()
        let log = c.lines.all.joined(separator: "\n")
        #expect(!log.contains(Self.password) && !log.contains(auth["response"] ?? "-"), "no secret in the log")
    }

    /// A second challenge for the realm just answered: the password is
    /// wrong; the call fails saying so after two INVITEs, nothing loops.
    @Test func aWrongPasswordFailsCleanly() async throws {
        let c = try await Self.place()
        let first = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        c.callee.send(Self.challenge(first, nonce: "n-1"), toPort: c.h.port)
        let second = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        c.callee.send(Self.challenge(second, nonce: "n-2"), toPort: c.h.port)
        let outcome = await c.task.value
        #expect(outcome == "auth failed: 407 Proxy Authentication Required from trunk.example (credentials refused)")
        let (third, _) = await c.callee.receiveSIP(timeout: 1) { $0.method == "INVITE" && $0.header("CSeq") == "3 INVITE" }
        #expect(third == nil)
        #expect(c.lines.all.contains { $0.contains("auth failed") })
        let record = await c.h.record(try #require(first.header("Call-ID")))
        #expect(record?.error == outcome, "the call record says why")
        await c.h.stop()
    }

    /// `stale=true`: the credentials were right, the nonce old; answered
    /// once more with the new nonce.
    @Test func aStaleNonceIsRetriedOnceWithTheNewNonce() async throws {
        let c = try await Self.place()
        let first = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        c.callee.send(Self.challenge(first, status: "401 Unauthorized", header: "WWW-Authenticate", nonce: "old"), toPort: c.h.port)
        let second = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        #expect(Self.parameters(second.header("Authorization"))["nonce"] == "old")
        c.callee.send(Self.challenge(second, status: "401 Unauthorized", header: "WWW-Authenticate", nonce: "new", extra: ", stale=true"),
                      toPort: c.h.port)
        let third = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        #expect(third.header("CSeq") == "3 INVITE")
        let auth = Self.parameters(third.header("Authorization"))
        #expect(auth["nonce"] == "new")
        #expect(third.text.components(separatedBy: "\r\n").filter { $0.hasPrefix("Authorization:") }.count == 1, "the old answer is replaced")
        c.callee.send(Self.challenge(third, status: "401 Unauthorized", header: "WWW-Authenticate", nonce: "newer", extra: ", stale=true"),
                      toPort: c.h.port)
        #expect(await c.task.value.hasPrefix("auth failed: 401 Unauthorized from trunk.example"), "a second stale is not retried")
        await c.h.stop()
    }

    @Test func a403AfterTheAnswerIsAnAuthFailure() async throws {
        let c = try await Self.place()
        let first = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        c.callee.send(Self.challenge(first, nonce: "n-1"), toPort: c.h.port)
        let second = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        c.callee.send(OutboundCallTests.response(to: second, "403 Forbidden", toTag: "ch"), toPort: c.h.port)
        #expect(await c.task.value == "auth failed: 403 Forbidden from trunk.example")
        await c.h.stop()
    }

    /// Challenges that cannot be answered end the call with the reason.
    @Test(arguments: [
        ([DigestCredential](), "", "auth failed: 407 Proxy Authentication Required from trunk.example: no sip.credentials to answer it"),
        ([DigestCredential(realm: "elsewhere", user: "u", password: "p")], "",
         "auth failed: 407 Proxy Authentication Required from trunk.example: no sip.credentials for realm 'trunk.example'"),
    ])
    func unanswerableChallenges(credentials: [DigestCredential], extra: String, expected: String) async throws {
        let c = try await Self.place(credentials: credentials)
        let first = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        c.callee.send(Self.challenge(first, nonce: "n-1", extra: extra), toPort: c.h.port)
        #expect(await c.task.value == expected)
        await c.h.stop()
    }

    @Test func anUnknownAlgorithmIsAClearError() async throws {
        let c = try await Self.place()
        let first = try #require(await c.callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        let odd = Self.challenge(first, nonce: "n").replacingOccurrences(of: "algorithm=MD5", with: "algorithm=SHA-512-256")
        c.callee.send(odd, toPort: c.h.port)
        let outcome = await c.task.value
        #expect(outcome.hasPrefix("auth failed: 407 Proxy Authentication Required from "), "\(outcome)")
        #expect(outcome.contains("SHA-512-256"), "\(outcome)")
        await c.h.stop()
    }

    /// A PBX challenges our REFER: it is sent again in the dialog (the next
    /// CSeq) with the answer, and the transfer goes on.
    @Test func aChallengedReferIsAnsweredInTheDialog() async throws {
        let h = try await ServerHarness(flow: DialogRoutingTests.transferFlow) {
            $0.credentials = Self.credentials; $0.t1 = 500; $0.t2 = 4000
        }
        let rtp = UDPClient()
        let ok = try #require(await h.establish(callID: "refer-auth", rtp: rtp))
        let refer = try #require(await h.client.receiveSIP(timeout: 90) { $0.method == "REFER" }.0)
        h.client.send(Self.challenge(refer, status: "401 Unauthorized", header: "WWW-Authenticate", nonce: "pbx-1")
            .replacingOccurrences(of: "To: \(refer.header("To") ?? "")", with: "To: \(refer.header("To") ?? "")"), toPort: h.port)
        let again = try #require(await h.client.receiveSIP(timeout: 60) { $0.method == "REFER" && $0.header("Authorization") != nil }.0)
        let first = try #require(refer.header("CSeq")?.split(separator: " ").first.flatMap { Int($0) })
        #expect(again.header("CSeq") == "\(first + 1) REFER")
        #expect(again.header("Refer-To") == refer.header("Refer-To"))
        let auth = Self.parameters(again.header("Authorization"))
        let cnonce = try #require(auth["cnonce"])
        let uri = String(again.firstLine.split(separator: " ")[1])
        #expect(auth["response"] == Self.expectedResponse(method: "REFER", uri: uri, nonce: "pbx-1", nc: "00000001", cnonce: cnonce))
        h.client.send(SensitiveTransferTests.accepted(again), toPort: h.port)
        h.client.send(h.request("NOTIFY", callID: "refer-auth", cseq: 10, toTag: ok.toTag, body: "SIP/2.0 200 OK\r\n", type: "message/sipfrag",
                                extraHeaders: "Event: refer\r\nSubscription-State: terminated;reason=noresource\r\n"), toPort: h.port)
        let bye = try #require(await h.client.receiveSIP(timeout: 90) { $0.method == "BYE" }.0)
        h.client.send(SensitiveTransferTests.accepted(bye, status: "200 OK"), toPort: h.port)
        var record: CallRecord?
        for _ in 0..<9 where record == nil { record = await h.record("refer-auth") }
        #expect(record?.outcome == "transfer")
        await h.stop()
    }

    /// A REFER whose answer is refused: the transfer fails with the reason
    /// (its on-fail runs; here the default, hang up).
    @Test func aReferWithAWrongPasswordFailsTheTransfer() async throws {
        let h = try await ServerHarness(flow: DialogRoutingTests.transferFlow) {
            $0.credentials = Self.credentials; $0.t1 = 500; $0.t2 = 4000
        }
        let rtp = UDPClient()
        _ = try #require(await h.establish(callID: "refer-bad", rtp: rtp))
        let refer = try #require(await h.client.receiveSIP(timeout: 90) { $0.method == "REFER" }.0)
        h.client.send(Self.challenge(refer, status: "401 Unauthorized", header: "WWW-Authenticate", nonce: "pbx-1"), toPort: h.port)
        let again = try #require(await h.client.receiveSIP(timeout: 60) { $0.method == "REFER" && $0.header("Authorization") != nil }.0)
        h.client.send(Self.challenge(again, status: "401 Unauthorized", header: "WWW-Authenticate", nonce: "pbx-2"), toPort: h.port)
        let bye = try #require(await h.client.receiveSIP(timeout: 90) { $0.method == "BYE" }.0)
        h.client.send(SensitiveTransferTests.accepted(bye, status: "200 OK"), toPort: h.port)
        var record: CallRecord?
        for _ in 0..<9 where record == nil { record = await h.record("refer-bad") }
        #expect(record?.jsonLine().contains("auth failed: 401 Unauthorized from trunk.example (credentials refused)") == true,
                "\(record?.jsonLine() ?? "no record")")
        await h.stop()
    }
}
