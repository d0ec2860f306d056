import Testing
@testable import IVRCommands

@Suite struct IVRCommandsSmokeTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
