import IVRSyntax
import Testing
@testable import IVRImport

/// The importers' YAML writer: whatever a source's text holds, the scalar
/// reads back as the same string, in block and in flow style.
@Suite struct YAMLTextTests {
    static let tricky = [
        "For sales press 1.", "Sorry, that is not an option.", "key: value", "a # b", "#hash", "- dash", "yes", "No", "null",
        "~", "1", "1.5", "08", "+442071234567", "5s", "1m30s", "", " leading", "trailing ", "two\nlines", "tab\there",
        "'single'", "\"double\"", "it's", "say \"hi\" and 'bye'", "{braces}", "[brackets]", "a, b", "*", "&anchor", "!tag",
        "%percent", "@at", "`tick`", "|pipe", ">fold", "?question", "${caller}", "back\\slash", "Grüße", "控制", "bell\u{7}",
        "lookup.tier == \"gold\"", "open(\"business-hours\")", "nul\u{0}byte", "c1\u{85}next", "line\u{2028}sep",
        "bom\u{FEFF}", "del\u{7F}", "\"quoted\u{1}\"",
    ]

    @Test(arguments: tricky)
    func aScalarReadsBackAsItself(_ text: String) throws {
        let yaml = YAMLText.document([
            YAMLEntry("block", .scalar(text)),
            YAMLEntry("flow", .map([("k", .scalar(text)), ("q", .quoted(text))])),
            YAMLEntry("list", .list([.scalar(text), .step("say", .scalar(text))])),
        ])
        let document = YAMLReader.read(Array(yaml.utf8), file: "t.yaml")
        #expect(document.diagnostics.isEmpty, "\(yaml)")
        let pairs = try #require(document.root?.pairs, "\(yaml)")
        #expect(pairs[0].value.scalar == text, "\(yaml)")
        let flow = try #require(pairs[1].value.pairs)
        #expect(flow[0].value.scalar == text, "\(yaml)")
        #expect(flow[1].value.scalar == text, "\(yaml)")
        let items = try #require(pairs[2].value.items)
        #expect(items[0].scalar == text, "\(yaml)")
        #expect(items[1].pairs?.first?.value.scalar == text, "\(yaml)")
    }

    /// Found by FuzzImport: an action type with control characters went into a comment as they were.
    @Test(arguments: ["MessageP\u{12}\u{0}ticipant", "two\nlines", "c1\u{85}", "sep\u{2028}"])
    func controlCharactersInCommentsAreEscaped(_ text: String) throws {
        let yaml = YAMLText.document([
            YAMLEntry("node", .list([.scalar("hangup")]), comments: ["Source: \(text)"]),
            YAMLEntry("list", .sequence([YAMLItem(.scalar("x"), comments: [text])])),
        ])
        let document = YAMLReader.read(Array(yaml.utf8), file: "t.yaml")
        #expect(document.diagnostics.isEmpty, "\(yaml)")
        #expect(document.root?.pairs?.count == 2, "\(yaml)")
        #expect(ImportWarning(line: 1, text).message.unicodeScalars.allSatisfy { !PrintableText.isControl($0) })
    }

    @Test func commentsAndShapesReadAsAPersonWouldWrite() {
        let yaml = YAMLText.document([
            YAMLEntry("node", .list([.step("say", .scalar("Hello.")), .scalar("hangup")]), comments: ["Where it came from."]),
            YAMLEntry("short", .step("transfer", .map([("extension", .quoted("100"))]))),
        ])
        #expect(yaml == """
            # Where it came from.
            node:
              - say: Hello.
              - hangup
            short: {transfer: {extension: "100"}}

            """)
    }

    @Test func aListItemsFirstCommentGoesAboveItsDash() throws {
        let item = YAMLValue.mapping([YAMLEntry("say", .scalar("Hi."), comments: ["From line 3."]), YAMLEntry("x", .scalar("z"))])
        let yaml = YAMLText.document([YAMLEntry("steps", .sequence([YAMLItem(item)]))])
        #expect(yaml == "steps:\n  # From line 3.\n  - say: Hi.\n    x: z\n")
        let document = YAMLReader.read(Array(yaml.utf8), file: "t.yaml")
        #expect(document.diagnostics.isEmpty)
        #expect(document.root?.pairs?.first?.value.items?.first?.pairs?.count == 2)
    }

    @Test func flowNamesFallBackWhenTheTitleHasNone() {
        #expect(NodeNames.flowName("Owl Bank", fallback: "x") == "owl-bank")
        #expect(NodeNames.flowName("!!!", fallback: "studio-flow") == "studio-flow")
        #expect(NodeNames.flowName(nil, fallback: "connect-flow") == "connect-flow")
        #expect(NodeNames.flowName("1st line", fallback: "x") == "n-1st-line")
    }
}
