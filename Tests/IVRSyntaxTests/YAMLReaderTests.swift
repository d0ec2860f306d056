import Testing
@testable import IVRSyntax

@Suite struct YAMLReaderTests {
    @Test func readsNestedMappingsWithRanges() {
        let doc = YAMLReader.read(Array("a:\n  b: [1, x]\n".utf8), file: "t.yaml")
        #expect(doc.diagnostics.isEmpty)
        let root = doc.root!
        let b = root.pairs![0].value.pairs![0]
        #expect(b.key.scalar == "b")
        #expect(b.key.range.start == SourceLocation(line: 2, column: 3, offset: 5))
        #expect(b.value.items?.count == 2)
    }
}
