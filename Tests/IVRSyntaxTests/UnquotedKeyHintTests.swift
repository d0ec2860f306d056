import IVRSyntax
import Testing

/// E001 at an unquoted `*` or `#` carries the quoting hint, in block and
/// flow style (flow-language.md section 2).
@Suite struct UnquotedKeyHintTests {
    func e001(_ yaml: String) -> Diagnostic? {
        let doc = YAMLReader.read(Array(yaml.utf8), file: "t.yaml")
        #expect(doc.root == nil, "\(yaml.debugDescription) should not parse")
        return doc.diagnostics.first { $0.code == .E001 }
    }

    static let starHint = "write \"*\": ... or use the alias star"
    static let hashHint = "write \"#\": ... or use the alias hash or pound"

    @Test(arguments: [
        "options:\n  *: hangup\n",                 // block mapping
        "options: {*: hangup}\n",                  // flow mapping
        "options: {\"1\": x, *: y}\n",             // after another pair
        "options: {1: x, *: y}\n",
        "input: [*, \"#\"]\n",                      // flow sequence
        "input: [\"1\", *]\n",
        "options:\n  - *\n",                        // block sequence
        "goto: *\n",
        "options: {\n  \"1\": x,\n  *: y\n}\n",     // a flow mapping over lines
    ])
    func unquotedStar(yaml: String) throws {
        let d = try #require(e001(yaml))
        #expect(d.help?.contains(Self.starHint) == true, "\(yaml.debugDescription): \(d.help ?? "no help")")
    }

    @Test(arguments: [
        "options: {#: hangup}\n",
        "options: {\"1\": x, #: y}\n",
        "input: [\"1\", #]\nnext: 1\n",
        "options: {\n  \"1\": x, #: y}\nnext: 1\n",
    ])
    func unquotedHash(yaml: String) throws {
        let d = try #require(e001(yaml))
        #expect(d.help?.contains(Self.hashHint) == true, "\(yaml.debugDescription): \(d.help ?? "no help")")
    }

    @Test(arguments: [
        "say: \"Press * now\" x: ]\n",             // a '*' inside quotes
        "say: Press * now\nx: [\n",                 // inside a plain scalar
        "a: {b: c # a comment\n",                   // a real comment
        "a: *x y: ]\n",                             // an alias, then something else
    ])
    func otherErrorsGetNoHint(yaml: String) throws {
        let d = try #require(e001(yaml))
        #expect(d.help == nil, "\(yaml.debugDescription): \(d.help ?? "")")
    }
}
