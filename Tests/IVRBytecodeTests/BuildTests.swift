import Foundation
import Testing
@testable import IVRBytecode

@Suite struct BuildTests {
    @Test func disassemblesSample() throws {
        let root = try SampleProject.write()
        let built = try BuildPipeline.build(paths: [root], currentDirectory: "/").get()
        let text = Disassembler.disassemble(built.bundle)
        print(text)
        #expect(text.contains("flow acme-main"))
    }
}
