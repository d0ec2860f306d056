import IVRSyntax
import Testing

/// `ScalarSourceMap`: where each character of a scalar's value stands in
/// the file, for every scalar style.
@Suite struct ScalarSourceMapTests {
    /// The map of the value of `key` in a one-document YAML text.
    func map(_ yaml: String, _ key: String = "v") throws -> (ScalarSourceMap, [UInt8]) {
        let bytes = Array(yaml.utf8)
        let doc = YAMLReader.read(bytes, file: "t.yaml")
        #expect(doc.diagnostics.isEmpty, "\(doc.diagnostics.map(\.message))")
        let node = try #require(doc.root?.value(forKey: key))
        let value = try #require(node.scalar)
        return (ScalarSourceMap(value: value, range: node.range, source: bytes), bytes)
    }

    /// "line:column-line:column" of the source of value scalars `first..<first+count`.
    func span(_ m: ScalarSourceMap, _ first: Int, _ count: Int = 1) -> String {
        let r = m.range(of: first..<(first + count))
        return "\(r.start.line):\(r.start.column)-\(r.end.line):\(r.end.column)"
    }

    /// The value index of the first occurrence of `needle` in the map's text.
    func index(of needle: String, in m: ScalarSourceMap) throws -> Int {
        let scalars = Array(m.text.unicodeScalars), n = Array(needle.unicodeScalars)
        return try #require((0...(scalars.count - n.count)).first { Array(scalars[$0..<($0 + n.count)]) == n })
    }

    @Test func plainOnOneAndSeveralLines() throws {
        let (one, _) = try map("v: caller == 1 and foo(1)\n")
        #expect(one.isExact)
        #expect(span(one, try index(of: "foo", in: one), 3) == "1:20-1:23")
        // Continuation lines fold to a space; a blank line stays a line feed.
        let (folded, _) = try map("v: caller == 1\n  and tier\n\n  and foo(1)\nw: 1\n")
        #expect(folded.text == "caller == 1 and tier\nand foo(1)")
        #expect(span(folded, try index(of: "tier", in: folded), 4) == "2:7-2:11")
        #expect(span(folded, try index(of: "foo", in: folded), 3) == "4:7-4:10")
    }

    @Test func singleQuotedEscapesAndFolds() throws {
        let (m, _) = try map("v: 'caller == ''1'' and foo(1)'\n")
        #expect(span(m, try index(of: "foo", in: m), 3) == "1:25-1:28")
        #expect(span(m, try index(of: "'", in: m), 1) == "1:15-1:17") // '' is one quote
        let (lines, _) = try map("v: 'a\n   b\n\n   foo'\n")
        #expect(lines.text == "a b\nfoo")
        #expect(span(lines, 4, 3) == "4:4-4:7")
    }

    @Test func doubleQuotedEscapes() throws {
        let (m, _) = try map(#"v: "caller == \"1\" and foo(1)""# + "\n")
        #expect(span(m, try index(of: "foo", in: m), 3) == "1:25-1:28")
        // \x, \u, \U, \n, \t and \\ are one value character each, however long.
        let (e, _) = try map(#"v: "\x41\u00e9\U0001F600\n\t\\z""# + "\n")
        #expect(e.text == "Aé😀\n\t\\z")
        #expect(span(e, 0) == "1:5-1:9")
        #expect(span(e, 1) == "1:9-1:15")
        #expect(span(e, 2) == "1:15-1:25")
        #expect(span(e, 3) == "1:25-1:27")
        #expect(span(e, 6) == "1:31-1:32")
        // A non-ASCII character counts one column, its bytes all.
        let (u, _) = try map("v: \"é \\\"x\\\" foo\"\n")
        let at = u.range(of: try index(of: "foo", in: u)..<(try index(of: "foo", in: u) + 3))
        #expect(at.start.column == 13 && at.start.offset == 13)
    }

    @Test func doubleQuotedLineBreaks() throws {
        // A break folds to a space, an escaped break joins, leading blanks go.
        let (m, _) = try map("v: \"one\n    two\\\n    three\n\n    foo\"\n")
        #expect(m.text == "one twothree\nfoo")
        #expect(span(m, try index(of: "two", in: m), 3) == "2:5-2:8")
        #expect(span(m, try index(of: "three", in: m), 5) == "3:5-3:10")
        #expect(span(m, try index(of: "foo", in: m), 3) == "5:5-5:8")
    }

    @Test func literalAndFoldedBlocks() throws {
        let text = "v: |\n  caller == 1\n  and tier\n    and foo(1)\n\nw: 1\n"
        let (literal, _) = try map(text)
        #expect(literal.text == "caller == 1\nand tier\n  and foo(1)\n")
        #expect(span(literal, try index(of: "foo", in: literal), 3) == "4:9-4:12")
        let (folded, _) = try map(text.replacingOccurrences(of: "v: |", with: "v: >-"))
        #expect(folded.text == "caller == 1 and tier\n  and foo(1)")
        #expect(span(folded, try index(of: "tier", in: folded), 4) == "3:7-3:11")
        #expect(span(folded, try index(of: "foo", in: folded), 3) == "4:9-4:12")
        // Keep chomping and an indentation indicator (relative to the parent's).
        let bytes = Array("a:\n  v: |2+\n      x\n     foo\n\n".utf8)
        let doc = YAMLReader.read(bytes, file: "t.yaml")
        let node = try #require(doc.root?.value(forKey: "a")?.value(forKey: "v"))
        let m = ScalarSourceMap(value: try #require(node.scalar), range: node.range, source: bytes)
        #expect(m.text == "  x\n foo\n\n")
        #expect(m.isExact)
        #expect(span(m, try index(of: "foo", in: m), 3) == "4:6-4:9")
    }

    @Test func anchorsTagsAndCRLF() throws {
        let (anchored, _) = try map("v: &a \"x \\\"foo\\\"\"\n")
        #expect(span(anchored, try index(of: "foo", in: anchored), 3) == "1:12-1:15")
        let (tagged, _) = try map("v: !!str caller == foo(1)\n")
        #expect(span(tagged, try index(of: "foo", in: tagged), 3) == "1:20-1:23")
        let (crlf, _) = try map("v: \"a\r\n  b foo\"\r\nw: 1\r\n")
        #expect(crlf.text == "a b foo")
        #expect(span(crlf, 4, 3) == "2:5-2:8")
    }

    /// Every value character's source is that character, an escape, `''`, or a line break.
    @Test(arguments: [
        "v: plain text\n  on two lines\n", "v: 'it''s\n\n  here'\n", "v: \"t\\tab \\u00e9\\\n  joined\"\n",
        "v: |-\n  a\n   b\n\n  c\n", "v: >\n  a\n  b\n\n   c\n  d\n", "v: [x, \"y\\\"z\"]\n",
    ])
    func everyCharacterMapsToItsSource(yaml: String) throws {
        let bytes = Array(yaml.utf8)
        let doc = YAMLReader.read(bytes, file: "t.yaml")
        var node = try #require(doc.root?.value(forKey: "v"))
        if let items = node.items { node = items[1] }
        let m = ScalarSourceMap(value: try #require(node.scalar), range: node.range, source: bytes)
        #expect(m.isExact)
        for (k, scalar) in m.text.unicodeScalars.enumerated() {
            let r = m.range(of: k..<(k + 1))
            let source = Array(bytes[r.start.offset..<r.end.offset])
            let ok = source == Array(String(scalar).utf8) || source.first == UInt8(ascii: "\\")
                || source == Array("''".utf8) || source == [0x0A] || source == [0x0D, 0x0A]
            #expect(ok, "\(yaml.debugDescription): character \(k) '\(scalar)' maps to \(String(decoding: source, as: UTF8.self).debugDescription)")
        }
    }

    /// Random scalars of every style (a fixed seed): each maps exactly, and
    /// keeps every character inside the scalar, in order.
    @Test func randomScalarsMapInsideTheirRange() {
        var seed: UInt64 = 0x1993_0D0A
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let pieces = ["a", "é", " ", "  ", "\n", "\n\n", "\\", "\\\"", "''", "\\x41", "\\u00e9", "\\\n", "\t", "#", ":", "-", "x y", " \n", "\r\n", "\t\n", "\n   ", "\\ ", "\\N", "\\/"]
        let heads = ["", "\"", "'", "|\n  ", ">-\n  ", "|+2\n    ", "&a \"", "!!str ", ">+\n  ", "|-\n\n  ", "> # c\n  ", "\"\\\n", "!!str \"", "&b\n  "]
        var exact = 0
        for _ in 0..<1000 {
            let head = heads[next(heads.count)]
            var body = ""
            for _ in 0..<next(12) { body += pieces[next(pieces.count)].replacingOccurrences(of: "\n", with: "\n  ") }
            let close = head.hasSuffix("\"") ? "\"" : head == "'" ? "'" : ""
            let yaml = "v: " + head + body + close + "\nw: 1\n"
            let bytes = Array(yaml.utf8)
            guard let node = YAMLReader.read(bytes, file: "t.yaml").root?.value(forKey: "v"), let value = node.scalar else {
                continue
            }
            let m = ScalarSourceMap(value: value, range: node.range, source: bytes)
            // The decoder reads every scalar libyaml reads as libyaml does.
            #expect(m.isExact, "\(yaml.debugDescription) reads \(value.debugDescription)")
            exact += 1
            var previous = node.range.start.offset
            for k in 0..<m.count {
                let r = m.range(of: k..<(k + 1))
                #expect(r.start.offset >= previous && r.end.offset >= r.start.offset && r.end.offset <= node.range.end.offset,
                        "\(yaml.debugDescription) character \(k)")
                previous = r.end.offset
            }
        }
        #expect(exact > 100)
    }

    @Test func anUnmappableScalarFallsBackToItsStart() throws {
        let bytes = Array("v: \"abc\"\n".utf8)
        let node = try #require(YAMLReader.read(bytes, file: "t.yaml").root?.value(forKey: "v"))
        // A value the source does not decode to (the file changed, say): no exact positions.
        let m = ScalarSourceMap(value: "xyz", range: node.range, source: bytes)
        #expect(!m.isExact)
        #expect(m.range(of: 1..<2) == node.range && m.location(at: 2) == node.range.start)
        #expect(m.index(at: node.range.start) == nil)
        // A range outside the file, or no file at all, does not trap.
        #expect(!ScalarSourceMap(value: "abc", range: node.range, source: []).isExact)
        #expect(ScalarSourceMap.inexact("abc", range: node.range).range(of: 0..<9) == node.range)
    }

    @Test func literalsInsideExpressionsMapThroughBothEscapes() throws {
        let (m, _) = try map(#"v: "matches(x, \"a\\\\(b\")""# + "\n")
        #expect(m.text == #"matches(x, "a\\(b")"#)
        let parsed = try ExpressionParser.parse(m).get()
        guard case .call(_, let args, _) = parsed, args.count == 2, case .string(let value, let range) = args[1] else {
            Issue.record("not a call: \(parsed)")
            return
        }
        #expect(value == #"a\(b"#)
        let literal = try #require(m.stringLiteral(at: range))
        #expect(literal.text == value)
        // `(` is value character 2; in the file it follows `\"a\\\\`.
        #expect(span(literal, 2) == "1:23-1:24")
        #expect(span(literal, 1) == "1:19-1:23") // `\\` in the expression is `\\\\` in the file
    }
}
