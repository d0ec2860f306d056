import Foundation
import IVRTestSupport
import Testing

/// `Patience`, the ceiling the SIP test clients wait with: a pause counts
/// one step, so a waiter that was not running still looks again.
struct PatienceTests {
    @Test func aPauseCountsOneStepAndTheWaiterLooksAgain() {
        var patience = Patience(seconds: 0.5, step: 0.05)
        Thread.sleep(forTimeInterval: 0.3)  // a pause longer than half the ceiling
        let more = patience.another()
        #expect(more, "a pause used up the ceiling")
        #expect(patience.spent <= 0.05 + 1e-9)
        var looks = 1
        while patience.another() { looks += 1; Thread.sleep(forTimeInterval: 0.06) }
        #expect(looks >= 10, "the ceiling of 0.5 s at 0.05 s a look took \(looks) looks")
        #expect(patience.spent >= 0.5)
    }

    @Test func theSliceIsWhatRemainsAtMostOneStep() {
        var patience = Patience(seconds: 2.5, step: 1)
        #expect(patience.slice == 1)
        while patience.spent < 2 { _ = patience.another(); Thread.sleep(forTimeInterval: 0.2) }
        #expect(patience.slice <= 0.5 + 1e-9 && patience.slice >= 0.01)
    }
}
