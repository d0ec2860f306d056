import Foundation
import Testing
@testable import IVRSyntax

/// The reader's fast path (event blocks, an arena tree, key bits, libyaml on
/// a second thread) against its plain path (`PlainYAMLReader`: one event at
/// a time into ordinary values) on every fixture of the checker, every
/// example flow and adversarial inputs: the same nodes, the same source
/// ranges, the same diagnostics, the same line table. Any disagreement fails.
@Suite struct PlainReaderComparisonTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every file under the checker's fixtures and the examples, relative to the root.
    static let files: [String] = ["Tests/IVRCheckTests/Fixtures", "examples"].flatMap { folder -> [String] in
        let base = root.appendingPathComponent(folder)
        let found = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])?
            .compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        return (found ?? []).map { folder + "/" + $0.path.dropFirst(base.path.count + 1) }.sorted()
    }

    @Test func theCorpusIsThere() {
        #expect(Self.files.filter { $0.hasSuffix(".yaml") }.count > 150)
        #expect(Self.files.contains { $0.hasPrefix("examples/") && $0.hasSuffix(".yaml") })
    }

    @Test(arguments: files)
    func fixturesReadTheSameBothWays(_ path: String) throws {
        let bytes = Array(try Data(contentsOf: Self.root.appendingPathComponent(path)))
        Self.compare(bytes, path)
        // Cut short, a file is malformed in a new place each time.
        for cut in [bytes.count / 3, bytes.count / 2, 2 * bytes.count / 3] where cut > 0 {
            Self.compare(Array(bytes[..<cut]), "\(path) cut at \(cut)")
        }
    }

    @Test(arguments: PipelinedReaderTests.inputs.map(\.name))
    func largeFlowsReadTheSameBothWays(_ name: String) throws {
        Self.compare(Array(try #require(PipelinedReaderTests.inputs.first { $0.name == name }).text.utf8), name)
    }

    static let adversarial: [(name: String, bytes: [UInt8])] = [
        ("empty", []),
        ("only a comment", Array("# nothing here\n".utf8)),
        ("empty document", Array("---\n".utf8)),
        ("root scalar", Array("just text\n".utf8)),
        ("root list", Array("- a\n- [b, c]\n- {d: e}\n".utf8)),
        ("unclosed flow list", Array("a: [1, 2\nb: 3\n".utf8)),
        ("mapping in a plain scalar", Array("a: b: c\n".utf8)),
        ("unclosed quote", Array("key: \"unclosed\nnext: 1\n".utf8)),
        ("list then mapping", Array("- a\nb: c\n".utf8)),
        ("bad indentation", Array("a:\n  - b\n c: d\n".utf8)),
        ("unquoted star key", Array("options:\n  *: repeat\n".utf8)),
        ("hash in flow", Array("options: {#: repeat, 1: done}\n".utf8)),
        ("tab indentation", Array("a:\n\tb: c\n\tc: d\n".utf8)),
        ("tab after dash", Array("steps:\n  -\tsay: hi\n".utf8)),
        ("tabs accepted", Array("a:\t\"x\"\nb: \"x\ty\"\nc: [1,\t2]\nd: e\t# note\n".utf8)),
        ("line of tabs", Array("a: 1\n\t\t\nb: 2\n".utf8)),
        ("anchors and aliases", Array("a: &x {b: 1, c: [d, e]}\nf: *x\ng: [*x, *x]\nh: &s text\ni: *s\n".utf8)),
        ("merge keys", Array("base: &b {x: 1, y: 2}\nmore: &m {z: 3, x: 9}\nm:\n  <<: [*b, *m]\n  x: 3\nn:\n  <<: *b\n  <<: *m\n".utf8)),
        ("merge of a scalar", Array("a: &s text\nm:\n  <<: *s\n  k: v\n".utf8)),
        ("quoted merge key", Array("m:\n  \"<<\": {a: 1}\n  b: 2\n".utf8)),
        ("unknown alias", Array("a: *nope\n".utf8)),
        ("alias inside its anchor", Array("a: &x [1, *x]\n".utf8)),
        ("aliased keys", Array("k: &k key\nm:\n  *k : 1\n  key: 2\n".utf8)),
        ("redefined anchor", Array("a: &x 1\nb: *x\nc: &x 2\nd: *x\n".utf8)),
        ("billion laughs", Array((["a: &a [x, x, x, x, x, x, x, x, x, x]"] + (1..<8).map { i in
            "\(Character(Unicode.Scalar(97 + i)!)): &\(Character(Unicode.Scalar(97 + i)!)) [" + Array(repeating: "*\(Character(Unicode.Scalar(96 + i)!))", count: 10).joined(separator: ", ") + "]"
        }).joined(separator: "\n").utf8) + [0x0A]),
        ("deep flow 199", Array((String(repeating: "[", count: 199) + String(repeating: "]", count: 199) + "\n").utf8)),
        ("deep flow 200", Array((String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n").utf8)),
        ("deep flow 201", Array((String(repeating: "[", count: 201) + String(repeating: "]", count: 201) + "\n").utf8)),
        ("deep block", Array((0..<150).map { String(repeating: " ", count: $0) + "k\($0):\n" }.joined().utf8)),
        ("huge plain scalar", Array(("a: " + String(repeating: "x", count: 300_000) + "\nb: 1\n").utf8)),
        ("huge quoted scalar", Array(("a: \"" + String(repeating: "\\u00e9 \\\" x", count: 40_000) + "\"\n").utf8)),
        ("huge block scalar", Array(("a: |\n" + String(repeating: "  line of text é\n", count: 20_000) + "b: 1\n").utf8)),
        ("block scalars", Array("a: |\n  one\n  two\n\nb: >-\n  folded\n  text\n\n\nc: |+\n  keep\n\nd: |2\n   indented\ne: >\n\n  after blank\n".utf8)),
        ("block scalar at the end", Array("a: |\n  last".utf8)),
        ("invalid UTF-8 in a value", [0x61, 0x3A, 0x20, 0x62, 0xFF, 0x0A]),
        ("invalid UTF-8 first", [0xC3, 0x28, 0x0A]),
        ("truncated UTF-8", Array("a: caf".utf8) + [0xC3]),
        ("UTF-8 BOM", [0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8)),
        ("UTF-16 BOM", [0xFF, 0xFE, 0x61, 0x00, 0x3A, 0x00, 0x20, 0x00, 0x31, 0x00, 0x0A, 0x00]),
        ("control character", Array("a: b\u{01}c\n".utf8)),
        ("NUL byte", [0x61, 0x3A, 0x20, 0x00, 0x0A]),
        ("escaped NUL", Array("a: \"x\\0y\"\n".utf8)),
        ("CRLF", Array("a: 1\r\nb:\r\n  - c\r\n".utf8)),
        ("lone CR", Array("a: 1\rb: 2\r".utf8)),
        ("Unicode line breaks", Array("a: x\u{2028}y\u{85}z\nb: \"p\u{2029}q\"\n".utf8)),
        ("non-ASCII before marks", Array("é: [ü, \"ß\", {ñ: 😀}]\n😀😀: |\n  ü\n".utf8)),
        ("core tags", Array("a: !!str 1\nb: !!int 2\nc: !!map {d: 1}\n".utf8)),
        ("custom tag", Array("a: !custom x\n".utf8)),
        ("custom tag on a list", Array("a: !custom [x]\n".utf8)),
        ("non-specific tag", Array("a: ! x\n".utf8)),
        ("two documents", Array("a: 1\n---\nb: 2\n".utf8)),
        ("document end", Array("--- a\n...\n".utf8)),
        ("duplicate keys", Array("a: 1\nb: 2\na: 3\nm: {x: 1, x: 2}\n".utf8)),
        ("same text, other types", Array("1: x\n\"1\": y\n\"1\": z\n1: w\n".utf8)),
        ("canonically equal keys", Array("café: 1\ncafe\u{301}: 2\nK: 3\n\u{212A}: 4\n".utf8)),
        ("null keys", Array("~: 1\nnull: 2\n: 3\n".utf8)),
        ("complex keys", Array("? [a]\n: 1\n? [a]\n: 2\n? {b: c}\n: 3\n".utf8)),
        ("large mapping with repeats",
         Array(((0..<60).map { "k\($0 % 45): \($0)\n" }.joined() + "é: 1\ne\u{301}: 2\n").utf8)),
        ("keys without values", Array("a:\nb:\n? c\n".utf8)),
        ("block end over comments", Array("a:\n  b: 1\n\n# comment\n\nc:\n  - d\n\n# end\n".utf8)),
        ("flow over lines", Array("a: {b: 1,\n  c: [2,\n    3]}\n".utf8)),
    ]

    @Test(arguments: adversarial.map(\.name))
    func adversarialInputsReadTheSameBothWays(_ name: String) throws {
        Self.compare(try #require(Self.adversarial.first { $0.name == name }).bytes, name)
    }

    @Test func tooLargeAFileIsRefusedTheSameBothWays() {
        Self.compare([UInt8](repeating: UInt8(ascii: "a"), count: YAMLReader.maxFileSize + 1), "too large")
    }

    /// The comparison is not blind: a node one column off, a changed style or
    /// text, a missing pair or a diagnostic more is a difference.
    @Test func aDifferenceIsSeen() throws {
        let bytes = Array("a: &x {b: 'one', c: [2, 3]}\nd: *x\n".utf8)
        let fast = YAMLReader.read(bytes, file: "f.yaml")
        let plain = YAMLReader.readPlainly(bytes, file: "f.yaml")
        #expect(Self.difference(fast, plain) == nil)
        let root = try #require(plain.root)
        guard case .mapping(var pairs) = root.content, case .mapping(var inner) = pairs[0].value.content else {
            Issue.record("not a mapping")
            return
        }
        var shifted = inner
        shifted[1].value.range.end.column += 1
        var restyled = inner
        restyled[0].value.content = .scalar(Array("one".utf8), .doubleQuoted)
        var retexted = inner
        retexted[0].value.content = .scalar(Array("onE".utf8), .singleQuoted)
        inner.removeLast()
        for changed in [shifted, restyled, retexted, inner] {
            pairs[0].value.content = .mapping(changed)
            var broken = plain
            broken.root = PlainYAMLNode(.mapping(pairs), range: root.range)
            #expect(Self.difference(fast, broken) != nil)
        }
        var extra = plain
        extra.diagnostics.append(YAMLReaderDiagnostics.tooDeep(file: "f.yaml", range: .unknown))
        #expect(Self.difference(fast, extra) != nil)
        var lines = plain
        lines.lineStarts.append(99)
        #expect(Self.difference(fast, lines) != nil)
    }

    /// Reads `bytes` both ways (the fast path with libyaml on this thread and
    /// on its own) and records any difference.
    static func compare(_ bytes: [UInt8], _ label: String) {
        let plain = YAMLReader.readPlainly(bytes, file: "f.yaml")
        for pipelined in [false, true] {
            let fast = YAMLReader.read(bytes, file: "f.yaml", pipelined: pipelined)
            if let difference = difference(fast, plain) {
                Issue.record("\(label), pipelined \(pipelined): fast and plain paths differ: \(difference)")
            }
        }
    }

    static func difference(_ fast: YAMLDocument, _ plain: PlainYAMLDocument) -> String? {
        if fast.lines.starts != plain.lineStarts { return "line starts" }
        if fast.diagnostics != plain.diagnostics {
            return "diagnostics\n  fast:  \(PipelinedReaderTests.describe(fast.diagnostics))"
                + "\n  plain: \(PipelinedReaderTests.describe(plain.diagnostics))"
        }
        switch (fast.root.map(PlainYAMLNode.init), plain.root) {
        case (nil, nil): return nil
        case (let a?, let b?): return difference(a, b, at: "root")
        case (let a, _): return a == nil ? "only the plain path has a tree" : "only the fast path has a tree"
        }
    }

    /// Where two trees first differ, as a path from the root.
    static func difference(_ a: PlainYAMLNode, _ b: PlainYAMLNode, at path: String) -> String? {
        if a.range != b.range { return "\(path): range \(describe(a.range)) vs \(describe(b.range))" }
        switch (a.content, b.content) {
        case (.scalar(let x, let s), .scalar(let y, let t)):
            if s != t { return "\(path): style \(s) vs \(t)" }
            if x != y { return "\(path): text \(String(decoding: x, as: UTF8.self).debugDescription) vs \(String(decoding: y, as: UTF8.self).debugDescription)" }
            return nil
        case (.mapping(let x), .mapping(let y)):
            for (i, (p, q)) in zip(x, y).enumerated() {
                if let d = difference(p.key, q.key, at: "\(path).key[\(i)]") ?? difference(p.value, q.value, at: "\(path).value[\(i)]") {
                    return d
                }
            }
            return x.count == y.count ? nil : "\(path): \(x.count) pairs vs \(y.count)"
        case (.sequence(let x), .sequence(let y)):
            for (i, (p, q)) in zip(x, y).enumerated() {
                if let d = difference(p, q, at: "\(path)[\(i)]") { return d }
            }
            return x.count == y.count ? nil : "\(path): \(x.count) items vs \(y.count)"
        default:
            return "\(path): shape"
        }
    }

    static func describe(_ range: SourceRange) -> String {
        "\(range) (\(range.start.offset)..<\(range.end.offset))"
    }
}
