import Testing
@testable import IVRCheck

@Suite struct IVRCheckSmokeTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
