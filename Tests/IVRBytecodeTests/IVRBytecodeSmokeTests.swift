import Testing
@testable import IVRBytecode

@Suite struct IVRBytecodeSmokeTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
