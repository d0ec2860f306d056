import Testing
@testable import IVRRuntime

@Suite struct IVRRuntimeSmokeTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
