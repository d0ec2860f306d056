import Testing
@testable import IVRSyntax

private func read(_ text: String) -> YAMLDocument {
    YAMLReader.read(Array(text.utf8), file: "t.yaml")
}

private func at(_ line: Int, _ column: Int, _ offset: Int) -> IVRSyntax.SourceLocation {
    IVRSyntax.SourceLocation(line: line, column: column, offset: offset)
}

@Suite struct YAMLReaderTests {
    @Test func readsNestedMappingsWithRanges() {
        let doc = read("a:\n  b: [1, x]\n")
        #expect(doc.diagnostics.isEmpty)
        let root = doc.root!
        let b = root.pairs![0].value.pairs![0]
        #expect(b.key.scalar == "b")
        #expect(b.key.range.start == at(2, 3, 5))
        #expect(b.value.items?.count == 2)
        #expect(b.value.range == SourceRange(start: at(2, 6, 8), end: at(2, 12, 14)))
    }

    @Test func lazyViewsAndArraysAgree() throws {
        let doc = read("k: v\nlist: [a, b, c]\n")
        let root = try #require(doc.root)
        #expect(root.lazyPairs?.map { $0.key.scalar } == root.pairs?.map { $0.key.scalar })
        let list = try #require(root.value(forKey: "list"))
        #expect(list.lazyItems?.map(\.scalar) == ["a", "b", "c"])
        guard case .sequence(let items) = list.kind else { Issue.record("not a sequence"); return }
        #expect(items.map(\.scalar) == ["a", "b", "c"])
        #expect(root.key("list")?.range.start == at(2, 1, 5))
        #expect(root.value(forKey: "missing") == nil)
        #expect(list.value(forKey: "a") == nil)
    }

    @Test func quotedAndBlockScalarsKeepStyleTextAndRange() throws {
        let text = "a: 'it''s'\nb: \"x\\ty\"\nc: |\n  one\n  two\nd: >\n  folded\n  text\ne: ~\nf: \"\"\n"
        let root = try #require(read(text).root)
        let a = try #require(root.value(forKey: "a"))
        #expect(a.scalar == "it's")
        #expect(a.style == .singleQuoted)
        #expect(a.range == SourceRange(start: at(1, 4, 3), end: at(1, 11, 10)))
        let b = try #require(root.value(forKey: "b"))
        #expect(b.scalar == "x\ty")
        #expect(b.style == .doubleQuoted)
        let c = try #require(root.value(forKey: "c"))
        #expect(c.scalar == "one\ntwo\n")
        #expect(c.style == .literal)
        #expect(c.range.start == at(3, 4, 24))
        #expect(c.range.end == at(6, 1, 38))
        let d = try #require(root.value(forKey: "d"))
        #expect(d.scalar == "folded text\n")
        #expect(d.style == .folded)
        #expect(root.value(forKey: "e")?.isNull == true)
        #expect(root.value(forKey: "f")?.isNull == false) // quoted: the empty string, not null
    }

    @Test func nonASCIIScalarsCompareAsSwiftStrings() throws {
        // "é" precomposed and decomposed are the same key, as Swift strings are equal.
        let doc = read("caf\u{E9}: 1\ncafe\u{301}: 2\n\u{212A}: 3\nnaïve-and-long-key: 4\n")
        #expect(doc.diagnostics.map(\.code) == [.E002])
        let root = try #require(doc.root)
        #expect(root.value(forKey: "cafe\u{301}")?.scalar == "1")
        #expect(root.value(forKey: "K")?.scalar == "3") // KELVIN SIGN is canonically "K"
        #expect(root.value(forKey: "naïve-and-long-key")?.scalar == "4")
        #expect(root.value(forKey: "naïve-and-long-kez") == nil)
        // Ranges count columns in characters and offsets in bytes.
        #expect(root.pairs?[1].value.range.start == at(2, 8, 17))
    }

    @Test func aliasesShareTheAnchorsContentsWithTheirOwnRange() throws {
        let doc = read("base: &b {x: 1, y: [2, 3]}\ncopy: *b\n")
        #expect(doc.diagnostics.isEmpty)
        let root = try #require(doc.root)
        let copy = try #require(root.value(forKey: "copy"))
        #expect(copy.range == SourceRange(start: at(2, 7, 33), end: at(2, 9, 35)))
        #expect(copy.value(forKey: "x")?.scalar == "1")
        #expect(copy.value(forKey: "x")?.range.start == at(1, 14, 13)) // inside the anchor
        #expect(copy.value(forKey: "y")?.items?.map(\.scalar) == ["2", "3"])
    }

    @Test func billionLaughsIsRefusedWithoutExpanding() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = name
        }
        let doc = read(text)
        #expect(doc.root == nil)
        #expect(doc.diagnostics.map(\.code) == [.E007])
        #expect(doc.diagnostics.first?.message.contains("refusing to expand") == true)
    }

    @Test func unknownAliasIsASyntaxError() {
        let doc = read("a: *nope\n")
        #expect(doc.root == nil)
        #expect(doc.diagnostics.map(\.code) == [.E001])
        #expect(doc.diagnostics.first?.range.start == at(1, 4, 3))
    }

    /// libyaml's reader errors carry a byte offset and no marks: the
    /// diagnostic still points at the line and column of the bad byte.
    @Test func encodingErrorsPointAtTheBadByte() {
        let utf8 = YAMLReader.read(Array("a: 1\nb: x\n".utf8) + [0x63, 0xE9, 0x20, 0x0A], file: "t.yaml")
        #expect(utf8.diagnostics.map(\.code) == [.E001])
        #expect(utf8.diagnostics.first?.range.start.line == 3)
        #expect(utf8.diagnostics.first?.range.start.column == 3)  // after 'c' and the lone lead byte: libyaml's offset
        let control = read("a: 1\nb: \"x\u{01}y\"\n")
        #expect(control.diagnostics.first?.range.start == at(2, 6, 10))
        #expect(control.diagnostics.first?.message.contains("control characters") == true)
    }

    @Test func mergeKeysAddMissingKeysAfterTheMappingsOwn() throws {
        let text = """
            one: &one {a: 1, b: 1}
            two: &two {b: 2, c: 2}
            m:
              <<: [*one, *two]
              a: own
              "<<": quoted
            """
        let doc = read(text)
        #expect(doc.diagnostics.isEmpty)
        let m = try #require(doc.root?.value(forKey: "m"))
        #expect(m.pairs?.map { $0.key.scalar ?? "?" } == ["a", "<<", "b", "c"])
        #expect(m.value(forKey: "a")?.scalar == "own")
        #expect(m.value(forKey: "b")?.scalar == "1") // the first source wins
        #expect(m.value(forKey: "c")?.scalar == "2")
        #expect(m.value(forKey: "<<")?.scalar == "quoted") // a quoted << is an ordinary key
    }

    @Test func duplicateKeysAreReportedAtTheSecondWithANoteAtTheFirst() throws {
        let doc = read("a: 1\nb: 2\na: 3\n")
        #expect(doc.diagnostics.count == 1)
        let d = try #require(doc.diagnostics.first)
        #expect(d.code == .E002)
        #expect(d.message == "duplicate key 'a'")
        #expect(d.range.start == at(3, 1, 10))
        #expect(d.notes.first?.range?.start == at(1, 1, 0))
        #expect(doc.root?.value(forKey: "a")?.scalar == "1") // lookups see the first
        #expect(doc.root?.pairs?.count == 3)
    }

    @Test func duplicateKeysInBigMappingsUseTheIndexAndFindTheFirst() throws {
        var text = ""
        for i in 0..<40 { text += "key-\(i): \(i)\n" }
        text += "key-3: again\nkey-39: again\nkey-3: thrice\n"
        let doc = read(text)
        #expect(doc.diagnostics.map(\.code) == [.E002, .E002, .E002])
        #expect(doc.diagnostics.map(\.range.start.line) == [41, 42, 43])
        #expect(doc.diagnostics.compactMap { $0.notes.first?.range?.start.line } == [4, 40, 4])
        #expect(doc.root?.pairs?.count == 43)
    }

    @Test func depthTagsAndDocumentsAreRefused() {
        let deep = String(repeating: "[", count: 250) + String(repeating: "]", count: 250)
        #expect(read(deep).diagnostics.map(\.code) == [.E007])
        #expect(read("a: !custom x\n").diagnostics.map(\.code) == [.E007])
        #expect(read("a: !!str 1\n").root?.value(forKey: "a")?.style == .doubleQuoted)
        let two = read("a: 1\n---\nb: 2\n")
        #expect(two.root == nil)
        #expect(two.diagnostics.map(\.code) == [.E007])
    }

    @Test func syntaxErrorsKeepTheirHint() {
        let doc = read("options:\n  *: hangup\n")
        #expect(doc.root == nil)
        #expect(doc.diagnostics.first?.code == .E001)
        #expect(doc.diagnostics.first?.help?.contains("must be quoted") == true)
    }

    /// A tab where libyaml wants a space is E001 at the tab, saying so,
    /// with a fix-it for the whole run of blanks and no note about another line.
    @Test func tabIndentationIsE001AtTheTabWithAFixIt() throws {
        let doc = read("ivr: a\nnodes:\n  main:\n  \t- say: hi\n  \t- hangup\n")
        #expect(doc.root == nil)
        let d = try #require(doc.diagnostics.first)
        #expect(doc.diagnostics.count == 1)
        #expect(d.code == .E001)
        #expect(d.message == "YAML does not allow tabs for indentation; use spaces")
        #expect(d.range == SourceRange(start: at(4, 3, 24), end: at(4, 4, 25)))
        #expect(d.notes.isEmpty)
        #expect(d.help?.contains("line 5 of this file starts with a tab too") == true)
        let fix = try #require(d.fix)
        #expect(fix.range == SourceRange(start: at(4, 1, 22), end: at(4, 4, 25)))
        #expect(fix.replacement == String(repeating: " ", count: 8))
    }

    @Test func aFileOfOnlyTabsIsE001AtItsFirstTab() throws {
        let doc = read("\t\t\n\t\n")
        let d = try #require(doc.diagnostics.first)
        #expect(doc.diagnostics.map(\.code) == [.E001])
        #expect(d.range.start == at(1, 1, 0))
        #expect(d.message.contains("tabs for indentation"))
        #expect(d.notes.isEmpty)
        #expect(d.fix?.replacement == "")
        #expect(d.fix?.range == SourceRange(start: at(1, 1, 0), end: at(1, 3, 2)))
    }

    @Test func tabAfterADashIsE001WithASpaceAsFixIt() throws {
        let doc = read("a:\n  -\tx\n")
        let d = try #require(doc.diagnostics.first)
        #expect(d.code == .E001)
        #expect(d.message == "YAML does not allow a tab after '-' here; use a space")
        #expect(d.range.start == at(2, 4, 6))
        #expect(d.fix?.replacement == " ")
    }

    /// Tabs libyaml takes stay legal: in quotes, after a key's colon, in flow style, before a comment.
    @Test func acceptedTabsAreNoError() throws {
        let doc = read("a: \"x\ty\"\nb:\tz\nc: {d:\te}\nf: g\t# note\n")
        #expect(doc.diagnostics.isEmpty)
        #expect(doc.root?.value(forKey: "a")?.scalar == "x\ty")
        #expect(doc.root?.value(forKey: "b")?.scalar == "z")
    }

    @Test func tabWidthOfTheFixIt() {
        #expect(TabWhitespace.expanded(Array("\t".utf8)) == String(repeating: " ", count: 8))
        #expect(TabWhitespace.expanded(Array("  \t ".utf8)) == String(repeating: " ", count: 9))
        #expect(TabWhitespace.expanded(Array("\t\t".utf8)) == String(repeating: " ", count: 16))
    }

    @Test func lineTableFindsLinesAndOffsets() {
        let text = "plain ascii line that is long\nnon-ascii: é and more text here\n\nlast"
        let bytes = Array(text.utf8)
        let lines = LineTable(bytes)
        #expect(lines.lineCount == 4)
        #expect(lines.starts == [0, 30, 63, 64])
        #expect(lines.lineBytes(2) == 30..<62)
        #expect(lines.offset(line: 1, column: 7, in: bytes) == 6)
        #expect(lines.offset(line: 2, column: 14, in: bytes) == 44) // after the two-byte é
        #expect(lines.offset(line: 4, column: 5, in: bytes) == 68)
        #expect(LineTable(text.utf8).starts == lines.starts) // a non-contiguous collection
    }
}

@Suite struct CollectionRangeTests {
    @Test func blockCollectionsEndAtTheirLastChild() throws {
        let doc = read("a:\n  b: 1\n  c:\n    - x\n    - y   \n\n# comment\nd: {e: 1}   \nf: [1, 2]\n")
        let root = try #require(doc.root)
        let a = try #require(root.value(forKey: "a"))
        #expect(a.range == SourceRange(start: at(2, 3, 5), end: at(5, 8, 30)))
        let c = try #require(a.value(forKey: "c"))
        #expect(c.range == SourceRange(start: at(4, 5, 19), end: at(5, 8, 30)))
        // flow collections keep their closing bracket
        let d = try #require(root.value(forKey: "d"))
        #expect(d.range == SourceRange(start: at(8, 4, 48), end: at(8, 10, 54)))
        let f = try #require(root.value(forKey: "f"))
        #expect(f.range.end.line == 9 && f.range.end.column == 10)
        #expect(root.range.end == f.range.end)
    }
}
