import Testing
@testable import IVRCheck
@testable import IVRSyntax

/// `NodeNames` answers as a `[String: Int]` of first uses would, on bytes.
@Suite struct NodeNamesTests {
    private func nodes(_ names: [String]) -> [Node] {
        names.map { Node(name: Located($0, .unknown), steps: [], range: .unknown) }
    }

    private func reference(_ names: [String]) -> [String: Int] {
        var first: [String: Int] = [:]
        for (i, name) in names.enumerated() where first[name] == nil { first[name] = i }
        return first
    }

    @Test func agreesWithADictionaryOnManyASCIINames() {
        var names = (0..<3000).map { "node-\($0)" } + ["", "a", "main", "a-rather-long-node-name-past-eight-bytes"]
        names += ["node-7", "main", "node-2999"] // repeats: the first node keeps the name
        let table = NodeNames(nodes(names))
        let first = reference(names)
        #expect(table.count == first.count)
        for name in names + ["node-3000", "nod", "node-", "a-rather-long-node-name-past-eight-byteZ", "Main"] {
            #expect(table[name] == first[name], "\(name)")
        }
    }

    @Test func nonASCIINamesCompareAsSwiftStrings() {
        let names = ["caf\u{E9}", "start", "cafe\u{301}"] // the same name, written two ways
        let table = NodeNames(nodes(names))
        #expect(table.count == 2)
        #expect(table["cafe\u{301}"] == 0)
        #expect(table["caf\u{E9}"] == 0)
        #expect(table["start"] == 1)
    }

    @Test func aNonASCIIKeyCanNameAnASCIINode() {
        let table = NodeNames(nodes(["K", "menu"]))
        #expect(table["\u{212A}"] == 0) // KELVIN SIGN is canonically "K"
        #expect(table["m\u{E9}nu"] == nil)
    }
}
