import Foundation
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRSIP

/// `ivrc serve`: a `#` pressed after a capture reached `max` digits belongs
/// to the capture (RFC 4733 or SIP INFO alike); it never reaches the next menu.
@Suite(.serialized, .dedicatedExecutor) struct TrailingTerminatorTests {
    static let flow = """
        ivr: main
        description: an account number, then a menu without a # option
        extension: "100"
        nodes:
          account:
            - capture:
                prompt: {say: "Enter your account number, then press hash."}
                into: account
                min: 6
                max: 6
                inter-digit-timeout: 10s
            - goto: menu
          menu:
            menu:
              prompt: {say: "Press 1"}
              options: {"1": bye}
              timeout: 10s
              on-invalid: {say: "Sorry, that is not a valid choice."}
          bye:
            - play: goodbye.pcm
            - hangup
        """

    /// DTMF event codes (RFC 4733): 0-9, then * (10) and # (11).
    static func event(_ key: Character) -> UInt8 {
        key == "#" ? 11 : key == "*" ? 10 : UInt8(key.wholeNumberValue ?? 0)
    }

    static func press(_ keys: String, from first: Int, rtp: UDPClient, to port: Int) {
        for (i, key) in keys.enumerated() {
            let n = first + i
            for bytes in ServerHarness.keyPress(event(key), timestamp: 8000 * UInt32(n + 1), sequence: UInt16(100 + 10 * n)) {
                rtp.send(bytes, toPort: port)
            }
        }
    }

    /// Runs a call: `send` presses keys once the first prompt plays; the
    /// call must end at `bye`. Returns its record.
    static func call(_ id: String, send: (ServerHarness, SIPMessageView, UDPClient, Int) async -> Void) async throws -> CallRecord {
        let h = try await ServerHarness(flow: flow)
        let rtp = UDPClient()
        let ok = try #require(await h.establish(callID: id, rtp: rtp))
        let serverRTP = try #require(ok.audioPort)
        // Generous: the first calls of a full `swift test` on 2 cores can stall.
        #expect(await rtp.receive(timeout: 90) != nil, "the prompt has started: the flow waits for keys")
        await send(h, ok, rtp, serverRTP)
        let bye = await h.client.receiveSIP(timeout: 90) { $0.method == "BYE" }.0
        #expect(bye != nil)
        var written: CallRecord?
        for _ in 0..<3 where written == nil { written = await h.record(id) }
        await h.stop()
        return try #require(written)
    }

    /// `123456#1` in one burst over RFC 4733: the capture takes the digits
    /// and the `#`; the menu hears `1`, nothing invalid.
    @Test func rfc4733HashAfterMaxDigitsIsTheCaptures() async throws {
        let record = try await Self.call("hash1") { _, _, rtp, port in
            Self.press("123456#1", from: 0, rtp: rtp, to: port)
        }
        #expect(record.inputs == [CallRecord.Input(node: "account", digits: "123456", kind: "capture"),
                                  CallRecord.Input(node: "menu", digits: "1", kind: "menu")])
        #expect(record.path == ["account", "menu", "bye"])
    }

    /// The `#` may come a moment later, and over SIP INFO: still the
    /// capture's. The menu then plays its prompt and hears `1`.
    @Test func infoHashAMomentAfterTheDigitsIsTheCaptures() async throws {
        let record = try await Self.call("hash2") { h, ok, rtp, port in
            Self.press("123456", from: 0, rtp: rtp, to: port)
            try? await Task.sleep(for: .milliseconds(300))
            h.client.send(h.request("INFO", callID: "hash2", cseq: 2, toTag: ok.toTag, body: "Signal=#\r\nDuration=160\r\n",
                                    type: "application/dtmf-relay"), toPort: h.port)
            _ = await h.client.receiveSIP(timeout: 90) { $0.status != nil && $0.header("CSeq")?.hasSuffix("INFO") == true }
            Self.press("1", from: 6, rtp: rtp, to: port)
        }
        #expect(record.inputs.map(\.digits) == ["123456", "1"])
        #expect(record.inputs.allSatisfy { $0.invalid == nil })
    }

    /// Another key after the 6th digit is the menu's at once.
    @Test func anotherKeyAfterMaxDigitsIsTheMenus() async throws {
        let record = try await Self.call("hash3") { _, _, rtp, port in
            Self.press("1234561", from: 0, rtp: rtp, to: port)
        }
        #expect(record.inputs.map(\.digits) == ["123456", "1"])
    }
}
