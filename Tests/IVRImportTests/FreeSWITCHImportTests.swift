import Testing
@testable import IVRImport

@Suite struct FreeSWITCHImportTests {
    @Test func placeholder() throws {
        #expect(ImportFormat.allCases.count == 3)
    }
}
