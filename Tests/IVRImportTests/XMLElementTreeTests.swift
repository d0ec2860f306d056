import Testing
@testable import IVRImport

/// The XML reader behind `ivrc import freeswitch`: elements with the position
/// of their `<`, attribute values as XML defines them, and every document
/// that is not well-formed refused where the problem is.
@Suite struct XMLElementTreeTests {
    static func refusal(_ text: String) -> ImportError? {
        do {
            _ = try XMLElementTree.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func elementsAttributesAndPositions() throws {
        let root = try XMLElementTree.parse("""
            \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <include>
              <menu name="main"
                    greet-long="say:caf\u{E9}">text <![CDATA[<not-an-element/>]]>
                <entry action='menu-top' digits="9"/><?pi data?>
              </menu>
            </include>
            """)
        #expect(root.name == "include" && root.line == 3 && root.column == 1)
        let menu = try #require(root.children.first)
        #expect(menu.line == 4 && menu.column == 3)
        #expect(menu.attributes == ["name": "main", "greet-long": "say:caf\u{E9}"])
        let entry = try #require(menu.children.first)
        #expect(entry.line == 6 && entry.column == 5 && entry.attributes["action"] == "menu-top")
        #expect(root.descendants(named: "entry").count == 1)
    }

    @Test func attributeValues() throws {
        let root = try XMLElementTree.parse("""
            <!DOCTYPE m [
              <!ELEMENT m ANY>
              <!ATTLIST m a CDATA "x>y">
              <!ENTITY sales "transfer 2000 XML default">
              <!ENTITY both "&sales; &amp; more">
            ]>
            <m a="&lt;&gt;&amp;&apos;&quot;" b="&#65;&#x42;&#233;" c="&both;" d="one
            two\tthree" e="&#10;"/>
            """)
        #expect(root.attributes["a"] == "<>&'\"")
        #expect(root.attributes["b"] == "AB\u{E9}")
        #expect(root.attributes["c"] == "transfer 2000 XML default & more")
        #expect(root.attributes["d"] == "one two three")
        #expect(root.attributes["e"] == "\n")
    }

    @Test(arguments: [
        ("", 1, 1, "the document is empty"),
        ("  <!-- only -->\n", 2, 1, "the document is empty"),
        ("{\"states\": []}", 1, 1, "a start tag is expected"),
        ("<a>\n  <b>\n</a>", 3, 1, "an end tag does not match its start tag"),
        ("<a>\n  <b>", 2, 6, "the document ends before its elements are closed"),
        ("<a x=\"1\" x=\"2\"/>", 1, 10, "the attribute 'x' appears twice"),
        ("<a x=1/>", 1, 6, "an attribute value must be quoted"),
        ("<a x=\"<\"/>", 1, 7, "'<' is not allowed in an attribute value"),
        ("<a x=\"1\"y=\"2\"/>", 1, 9, "attributes must be separated by white space"),
        ("<a>\n fish & chips</a>", 2, 7, "'&' starts no reference"),
        ("<a x=\"&nbsp;\"/>", 1, 7, "the entity 'nbsp' is not declared"),
        ("<a x=\"&#0;\"/>", 1, 7, "a character reference names no XML character"),
        ("<a>\u{1}</a>", 1, 4, "a control character"),
        ("<a/>\n<b/>", 2, 1, "only comments may follow the root element"),
        ("<a><!-- x -- y --></a>", 1, 11, "a comment holds '--'"),
        ("<a/><?xml version=\"1.0\"?>", 1, 5, "the XML declaration must open the document"),
        ("<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a x=\"&e;\"/>", 1, 61, "is external (not read)"),
        ("<!DOCTYPE a [<!ENTITY e \"&e;\">]><a x=\"&e;\"/>", 1, 39, "entities refer to themselves or expand too far"),
    ])
    func refusedWhereTheProblemIs(_ text: String, _ line: Int, _ column: Int, _ message: String) throws {
        let error = try #require(Self.refusal(text))
        #expect(error.message.hasPrefix("the file is not well-formed XML: "))
        #expect(error.message.contains(message), "\(error)")
        #expect(error.line == line && error.column == column, "\(error)")
    }

    /// One entity referenced many times (quadratic blow-up) is refused as the
    /// billion laughs are: by the bytes all expansions would add.
    @Test func manyExpansionsAreRefused() {
        let big = String(repeating: "x", count: 50_000)
        let text = "<!DOCTYPE a [<!ENTITY b \"\(big)\">]>\n<a>" + String(repeating: "&b;", count: 100) + "</a>"
        #expect(Self.refusal(text)?.message.contains("expand too far") == true)
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        #expect(Self.refusal(deep)?.message.contains("nest deeper than 256") == true)
        let fine = String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)
        #expect(try XMLElementTree.parse(fine).name == "a")
    }
}
