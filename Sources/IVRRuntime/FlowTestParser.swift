import IVRSyntax

/// Reads test files with the flow front end's `YAMLReader` and reports
/// every problem in them (not only the first) with the same diagnostics as
/// flows: E001/E002/E007 from the reader, E003 unknown field (with "did you
/// mean" and a fix-it, `DiagnosticSink.unknownField`), E004 missing, E005
/// wrong type, E006 invalid value. A file with errors still yields what
/// could be read of it (so that the names it uses can be checked too);
/// its cases must not run.
public struct FlowTestParser {
    public static let outcomes = ["transfer", "hangup", "caller-hangup", "error"]
    static let fileFields = ["flow", "at", "caller", "cases"]
    static let caseFields = ["name", "caller", "at", "input", "callee-input", "webhooks", "transfers", "expect"]
    static let expectFields = ["outcome", "destination", "via", "visited", "heard", "variables"]
    static let responseFields = ["status", "body"]
    var sink: DiagnosticSink

    public static func parse(_ bytes: [UInt8], file: String) -> (file: FlowTestFile?, diagnostics: [Diagnostic]) {
        let doc = YAMLReader.read(bytes, file: file)
        var parser = FlowTestParser(sink: DiagnosticSink(file: file))
        guard let root = doc.root else {
            if doc.diagnostics.isEmpty {
                parser.sink.emit(.E004, "the test file is empty; it needs 'flow' and 'cases'", at: .unknown,
                                 help: "start with 'flow: NAME' and a list of 'cases:'")
            }
            return (nil, doc.diagnostics + parser.sink.diagnostics)
        }
        let result = parser.testFile(root, file: file)
        return (result, doc.diagnostics + parser.sink.diagnostics)
    }

    private mutating func testFile(_ root: YAMLNode, file: String) -> FlowTestFile? {
        guard let f = fields(root, "a test file", allowed: Self.fileFields) else { return nil }
        let flow = f.require("flow", &self).flatMap { node in string(node, "'flow'").map { Located($0, node.range) } }
        let at = f["at"].flatMap { time($0) }
        let caller = f["caller"].flatMap { node in string(node, "'caller'").map { Located($0, node.range) } }
        var cases: [FlowTestCase] = []
        if let casesNode = f.require("cases", &self) {
            if let items = casesNode.lazyItems {
                for item in items {
                    guard var c = testCase(item) else { continue }
                    c.at = c.at ?? at
                    c.caller = c.caller ?? caller?.value
                    cases.append(c)
                }
            } else {
                sink.emit(.E005, "'cases' must be a list, found \(casesNode.kindName)", at: casesNode.range,
                          help: "write each case as '- name: ...' under 'cases:'")
            }
        }
        guard let flow else { return nil }
        return FlowTestFile(file: file, flow: flow, at: at, caller: caller, cases: cases)
    }

    private mutating func testCase(_ node: YAMLNode) -> FlowTestCase? {
        guard let f = fields(node, "a test case", allowed: Self.caseFields) else { return nil }
        let name = f.require("name", &self).flatMap { string($0, "'name'") }
        var c = FlowTestCase(name: name ?? "", range: node.range)
        if let input = f["input"] { c.input = tokens(input) }
        if let input = f["callee-input"] { c.calleeInput = tokens(input, callee: true) }
        if let caller = f["caller"] { c.caller = string(caller, "'caller'") }
        c.at = f["at"].flatMap { time($0) }
        if let webhooks = f["webhooks"] { c.webhooks = cannedResponses(webhooks) }
        if let transfers = f["transfers"] { c.transfers = transferResults(transfers) }
        if let expect = f["expect"] {
            c.expect = expectations(expect)
        } else {
            sink.emit(.E004, "case '\(c.name)' has no 'expect'", at: f.headRange,
                      help: "add 'expect: {outcome: ...}' with what the call must do")
        }
        return name == nil ? nil : c
    }

    /// `input`: a list of tokens, or one string of tokens separated by
    /// spaces or commas. The callee's (`callee-input`) may press A-D too.
    private mutating func tokens(_ input: YAMLNode, callee: Bool = false) -> [InputToken] {
        let words: [(text: String, range: SourceRange)]
        if let items = input.lazyItems {
            words = items.compactMap { t in string(t, "an input token").map { ($0, t.range) } }
        } else if input.isNull {
            words = []
        } else if let text = input.scalar {
            words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map { (String($0), input.range) }
        } else {
            sink.emit(.E005, "'\(callee ? "callee-input" : "input")' must be a list of tokens, found \(input.kindName)", at: input.range)
            return []
        }
        var tokens: [InputToken] = []
        for word in words {
            switch InputToken.parse(token: word.text, callee: callee) {
            case .success(let token): tokens.append(token)
            case .failure(let e): sink.emit(.E006, e.description, at: word.range)
            }
        }
        return tokens
    }

    private mutating func time(_ node: YAMLNode) -> Located<String>? {
        guard let text = string(node, "'at'") else { return nil }
        guard CallTime.parse(text) != nil else {
            sink.emit(.E006, "'at' must be an ISO 8601 time like 2026-11-23T10:00:00-05:00", at: node.range,
                      help: "write the date, the time and the UTC offset, in quotes: at: \"2026-11-23T10:00:00-05:00\"")
            return nil
        }
        return Located(text, node.range)
    }

    private mutating func cannedResponses(_ node: YAMLNode) -> [(prefix: String, response: WebhookResponse)] {
        guard let pairs = node.lazyPairs else {
            sink.emit(.E005, "'webhooks' must map URL prefixes to {status, body}, found \(node.kindName)", at: node.range)
            return []
        }
        var canned: [(prefix: String, response: WebhookResponse)] = []
        for pair in pairs {
            guard let prefix = string(pair.key, "a URL prefix"),
                  let w = fields(pair.value, "a canned response", allowed: Self.responseFields) else { continue }
            var status = 200
            if let s = w["status"] {
                guard let text = string(s, "'status'"), let n = Int(text), (100...599).contains(n) else {
                    sink.emit(.E006, "'status' must be an HTTP status (100-599)", at: s.range)
                    continue
                }
                status = n
            }
            let body = w["body"].map { YAMLToJSON.convert($0).serialized } ?? ""
            canned.append((prefix, WebhookResponse(status: status, body: Array(body.utf8))))
        }
        return canned
    }

    /// `transfers`: destination value -> answered, busy, no-answer, rejected or failed.
    private mutating func transferResults(_ node: YAMLNode) -> [(value: Located<String>, result: TransferOutcome)] {
        guard let pairs = node.lazyPairs else {
            let words = TransferOutcome.scriptable.map(\.rawValue).joined(separator: ", ")
            sink.emit(.E005, "'transfers' must map destination values to results (\(words)), found \(node.kindName)",
                      at: node.range, help: "write 'transfers: {\"sip:sales@pbx.acme.example\": busy}'")
            return []
        }
        var results: [(value: Located<String>, result: TransferOutcome)] = []
        for pair in pairs {
            guard let value = string(pair.key, "a destination value"),
                  let word = string(pair.value, "a transfer result") else { continue }
            guard let result = TransferOutcome(scripted: word) else {
                let (message, guess) = TransferOutcome.unknown(word)
                sink.emit(.E006, message, at: pair.value.range, help: guess.map { "did you mean '\($0)'?" },
                          fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: pair.value.range,
                                                            replacement: $0) })
                continue
            }
            results.append((Located(value, pair.key.range), result))
        }
        return results
    }

    private mutating func expectations(_ node: YAMLNode) -> FlowTestCase.Expectations {
        var e = FlowTestCase.Expectations()
        guard let f = fields(node, "'expect'", allowed: Self.expectFields) else { return e }
        if let o = f["outcome"], let text = string(o, "'outcome'") {
            if Self.outcomes.contains(text) {
                e.outcome = text
            } else {
                let guess = closestMatch(to: text, in: Self.outcomes)
                sink.emit(.E006, "unknown outcome '\(text)'; expected one of \(Self.outcomes.joined(separator: ", "))",
                          at: o.range, help: guess.map { "did you mean '\($0)'?" },
                          fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: o.range, replacement: $0) })
            }
        }
        if let d = f["destination"] { e.destination = destination(d) }
        if let v = f["via"], let text = string(v, "'via'") {
            if let via = TransferVia(rawValue: text), via != .auto {
                e.via = via
            } else {
                let guess = closestMatch(to: text, in: ["refer", "bridge"])
                sink.emit(.E006, "'via' must be refer or bridge (how the transfer connected), found '\(text)'", at: v.range,
                          help: guess.map { "did you mean '\($0)'?" },
                          fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: v.range, replacement: $0) })
            }
        }
        if let v = f["visited"] {
            e.visitedNodes = stringList(v, "'visited'").map { $0.map { Located($0.value, $0.range) } }
        }
        if let h = f["heard"] { e.heard = stringList(h, "'heard'")?.map(\.value) }
        if let v = f["variables"] {
            if let pairs = v.lazyPairs {
                e.variables = pairs.compactMap { p in
                    guard let k = string(p.key, "a variable name"), let value = string(p.value, "a variable value") else { return nil }
                    return (k, value)
                }
            } else {
                sink.emit(.E005, "'variables' must map names to values, found \(v.kindName)", at: v.range)
            }
        }
        return e
    }

    /// `destination`: null (no transfer) or exactly one kind and its value.
    private mutating func destination(_ d: YAMLNode) -> (kind: String, value: String)?? {
        if d.isNull { return .some(nil) }
        let kinds = DestinationKinds.all
        guard let pairs = d.lazyPairs else {
            sink.emit(.E005, "'destination' must be one of \(kinds.joined(separator: ", ")) and its value, "
                      + "found \(d.kindName)", at: d.range, help: "write 'destination: {extension: \"200\"}'")
            return nil
        }
        var found: (kind: String, value: String)?
        var first: YAMLNode?
        for pair in pairs {
            guard let kind = string(pair.key, "a destination kind") else { continue }
            guard kinds.contains(kind) else {
                sink.unknownField(kind, at: pair.key.range, in: "'destination'", allowed: kinds,
                                  help: kind == "ivr" ? "an ivr: transfer continues in the other flow; "
                                      + "expect the nodes it reaches with 'visited'" : nil)
                continue
            }
            if let first {
                sink.emit(.E006, "'destination' takes exactly one of \(kinds.joined(separator: ", "))", at: pair.key.range,
                          notes: [Diagnostic.Note("first destination", file: sink.file, range: first.range)])
                continue
            }
            first = pair.key
            if let value = string(pair.value, "a destination") { found = (kind, value) }
        }
        if pairs.isEmpty {
            sink.emit(.E004, "'destination' needs one of \(kinds.joined(separator: ", "))", at: d.range,
                      help: "write 'destination: null' to expect no transfer")
        }
        return found.map { .some($0) }
    }

    // MARK: - Field helpers

    /// The allowed fields of one mapping, read in one pass over its pairs:
    /// for each name of `allowed`, the value of the first pair with that key.
    struct Fields {
        var node: YAMLNode
        let allowed: [String]
        /// By position in `allowed`.
        var values: [YAMLNode?]
        /// Where "missing field" diagnostics point: the first allowed key, else the mapping.
        var headRange: SourceRange

        subscript(key: String) -> YAMLNode? {
            guard let i = allowed.firstIndex(of: key) else { return nil }
            return values[i]
        }

        /// A required field's value, or E004 at the mapping's first key.
        func require(_ key: String, _ parser: inout FlowTestParser) -> YAMLNode? {
            if let v = self[key] { return v }
            parser.sink.emit(.E004, "missing required field '\(key)'", at: headRange, help: "add '\(key): ...'")
            return nil
        }
    }

    /// The mapping's pairs with an allowed key; every other key is reported
    /// (E003 with a suggestion, E005 for a key that is not a string).
    private mutating func fields(_ node: YAMLNode, _ what: String, allowed: [String]) -> Fields? {
        guard let pairs = node.lazyPairs else {
            sink.emit(.E005, "\(what) must be a mapping, found \(node.kindName)", at: node.range)
            return nil
        }
        var f = Fields(node: node, allowed: allowed, values: Array(repeating: nil, count: allowed.count), headRange: node.range)
        var first = true
        for p in pairs {
            let keyNode = p.key
            guard let key = keyNode.scalar else {
                sink.emit(.E005, "a key in \(what) must be a string, found \(keyNode.kindName)", at: keyNode.range)
                continue
            }
            if let i = allowed.firstIndex(of: key) {
                if first {
                    f.headRange = keyNode.range
                    first = false
                }
                if f.values[i] == nil { f.values[i] = p.value }
            } else if key == "password" {
                sink.writtenPassword(key: keyNode.range, value: p.value.range, in: what)
            } else {
                sink.unknownField(key, at: keyNode.range, in: what, allowed: allowed)
            }
        }
        return f
    }

    private mutating func string(_ node: YAMLNode, _ what: String) -> String? {
        guard let s = node.scalar, !node.isNull else {
            sink.emit(.E005, "\(what) must be a string, found \(node.kindName)", at: node.range)
            return nil
        }
        return s
    }

    private mutating func stringList(_ node: YAMLNode, _ what: String) -> [Located<String>]? {
        guard let items = node.lazyItems else {
            sink.emit(.E005, "\(what) must be a list, found \(node.kindName)", at: node.range)
            return nil
        }
        return items.compactMap { item in string(item, "an item of \(what)").map { Located($0, item.range) } }
    }
}
