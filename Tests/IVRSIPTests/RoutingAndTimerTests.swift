import IVRTestSupport
import IVRBytecode
import Testing
@testable import IVRSIP

@Suite(.dedicatedExecutor) struct RoutingAndTimerTests {
    let target = ReferTarget(pbx: "pbx.acme.example", trunk: "trunk.acme.example")

    @Test func referToMapping() throws {
        #expect(try target.uri(kind: .extension, value: "1001") == "sip:1001@pbx.acme.example")
        #expect(try target.uri(kind: .group, value: "sales") == "sip:sales@pbx.acme.example")
        #expect(try target.uri(kind: .conference, value: "2000") == "sip:2000@pbx.acme.example")
        #expect(try target.uri(kind: .app, value: "voicemail") == "sip:voicemail@pbx.acme.example")
        #expect(try target.uri(kind: .number, value: "+442071234567") == "sip:+442071234567@trunk.acme.example;user=phone")
        #expect(try target.uri(kind: .sip, value: "sip:sales@pbx.acme.example") == "sip:sales@pbx.acme.example")
        #expect(throws: ReferTarget.Unroutable.self) { try ReferTarget(pbx: nil, trunk: nil).uri(kind: .extension, value: "1") }
        #expect(throws: ReferTarget.Unroutable.self) { try ReferTarget(pbx: "p", trunk: nil).uri(kind: .number, value: "+4412345678") }
        #expect(throws: ReferTarget.Unroutable.self) { try target.uri(kind: .sip, value: "not a uri") }
        #expect(throws: ReferTarget.Unroutable.self) { try target.uri(kind: .number, value: "+12ab") }
    }

    @Test func nonInviteScheduleDoublesToT2ThenTimesOut() {
        var t = RetransmitTimer(start: 0)
        var sends: [Int] = []
        var now = 0
        while true {
            switch t.poll(now: now) {
            case .wait(let until): now = until
            case .retransmit: sends.append(now)
            case .timeout:
                #expect(now == 32_000)
                #expect(sends == [500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500])
                return
            }
        }
    }

    @Test func inviteClientScheduleIsUncapped() {
        var t = RetransmitTimer(start: 1000, capped: false)
        var sends: [Int] = []
        var now = 1000
        loop: while true {
            switch t.poll(now: now) {
            case .wait(let until): now = until
            case .retransmit: sends.append(now - 1000)
            case .timeout: break loop
            }
        }
        #expect(sends == [500, 1500, 3500, 7500, 15500, 31500])
    }

    @Test func notDueYetWaits() {
        var t = RetransmitTimer(start: 0, t1: 100, t2: 400)
        #expect(t.poll(now: 50) == .wait(until: 100))
        #expect(t.poll(now: 120) == .retransmit)
        #expect(t.poll(now: 130) == .wait(until: 320))
        #expect(t.poll(now: 6400) == .timeout)
    }
}
