import Testing
@testable import IVRLive

@Suite struct IVRLiveSmokeTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
