import Testing
@testable import IVRSIP

@Suite struct IVRSIPSmokeTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
