import IVRSyntax

/// A `*.test.yaml` file (flow-language.md section 9).
public struct FlowTestFile: Sendable {
    public var file: String
    public var flow: Located<String>
    public var cases: [FlowTestCase]
}

/// One case: a scripted call and what must come of it.
public struct FlowTestCase: Sendable {
    public var name: String
    public var range: SourceRange
    public var input: [InputToken] = []
    public var caller: String?
    public var at: Located<String>?
    public var webhooks: [(prefix: String, response: WebhookResponse)] = []
    public var expect = Expectations()

    /// What `expect:` asks for; nil fields are not checked.
    public struct Expectations: Sendable {
        public var outcome: String?
        /// nil: not checked; .some(nil): no destination.
        public var destination: (kind: String, value: String)??
        public var visited: [String]?
        public var heard: [String]?
        public var variables: [(name: String, value: String)]?
    }
}

/// Reads test files with `YAMLReader`, reporting malformed ones with the
/// same diagnostics as flows (E003 unknown field, E004 missing, E005 wrong
/// type, E006 invalid value).
public struct FlowTestParser {
    public static let outcomes = ["transfer", "hangup", "caller-hangup", "error"]
    var sink: DiagnosticSink

    public static func parse(_ bytes: [UInt8], file: String) -> (file: FlowTestFile?, diagnostics: [Diagnostic]) {
        let doc = YAMLReader.read(bytes, file: file)
        var parser = FlowTestParser(sink: DiagnosticSink(file: file))
        guard let root = doc.root else {
            if doc.diagnostics.isEmpty {
                parser.sink.emit(.E004, "the test file is empty; it needs 'flow' and 'cases'", at: .unknown)
            }
            return (nil, doc.diagnostics + parser.sink.diagnostics)
        }
        let result = parser.testFile(root, file: file)
        return (result, doc.diagnostics + parser.sink.diagnostics)
    }

    private mutating func testFile(_ root: YAMLNode, file: String) -> FlowTestFile? {
        guard let f = mapping(root, "a test file", allowed: ["flow", "cases"]) else { return nil }
        guard let flowNode = require(f, "flow", in: root), let flow = string(flowNode, "'flow'") else { return nil }
        guard let casesNode = require(f, "cases", in: root) else { return nil }
        guard let items = casesNode.items else {
            sink.emit(.E005, "'cases' must be a list, found \(casesNode.kindName)", at: casesNode.range)
            return nil
        }
        let cases = items.compactMap { testCase($0) }
        return FlowTestFile(file: file, flow: Located(flow, flowNode.range), cases: cases)
    }

    private mutating func testCase(_ node: YAMLNode) -> FlowTestCase? {
        let allowed = ["name", "input", "caller", "at", "webhooks", "expect"]
        guard let f = mapping(node, "a test case", allowed: allowed) else { return nil }
        guard let nameNode = require(f, "name", in: node), let name = string(nameNode, "'name'") else { return nil }
        var c = FlowTestCase(name: name, range: node.range)
        var ok = true
        if let input = f["input"] {
            let tokens: [YAMLNode] = input.items ?? (input.scalar != nil && !input.isNull ? [input] : [])
            if input.items == nil, input.scalar == nil {
                sink.emit(.E005, "'input' must be a list of tokens, found \(input.kindName)", at: input.range)
                ok = false
            }
            for t in tokens {
                guard let text = string(t, "an input token") else { ok = false; continue }
                let words = input.items == nil ? text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init) : [text]
                for word in words {
                    switch InputToken.parse(token: word) {
                    case .success(let token): c.input.append(token)
                    case .failure(let e):
                        sink.emit(.E006, e.description, at: t.range)
                        ok = false
                    }
                }
            }
        }
        if let caller = f["caller"] { c.caller = string(caller, "'caller'") }
        if let at = f["at"], let text = string(at, "'at'") {
            if SimulateRunner.parseTime(text) == nil {
                sink.emit(.E006, "'at' must be an ISO 8601 time like 2026-11-23T10:00:00-05:00", at: at.range)
                ok = false
            }
            c.at = Located(text, at.range)
        }
        if let webhooks = f["webhooks"] {
            guard let pairs = webhooks.pairs else {
                sink.emit(.E005, "'webhooks' must map URL prefixes to {status, body}", at: webhooks.range)
                return nil
            }
            for pair in pairs {
                guard let prefix = string(pair.key, "a URL prefix"),
                      let w = mapping(pair.value, "a canned response", allowed: ["status", "body"]) else { ok = false; continue }
                var status = 200
                if let s = w["status"] {
                    guard let text = string(s, "'status'"), let n = Int(text), (100...599).contains(n) else {
                        sink.emit(.E006, "'status' must be an HTTP status (100-599)", at: s.range)
                        ok = false
                        continue
                    }
                    status = n
                }
                let body = w["body"].map { YAMLToJSON.convert($0).serialized } ?? ""
                c.webhooks.append((prefix, WebhookResponse(status: status, body: Array(body.utf8))))
            }
        }
        if let expect = f["expect"] {
            guard let e = expectations(expect) else { return nil }
            c.expect = e
        } else {
            sink.emit(.E004, "case '\(name)' has no 'expect'", at: node.range)
            ok = false
        }
        return ok ? c : nil
    }

    private mutating func expectations(_ node: YAMLNode) -> FlowTestCase.Expectations? {
        guard let f = mapping(node, "'expect'", allowed: ["outcome", "destination", "visited", "heard", "variables"]) else { return nil }
        var e = FlowTestCase.Expectations()
        if let o = f["outcome"], let text = string(o, "'outcome'") {
            guard Self.outcomes.contains(text) else {
                let guess = closestMatch(to: text, in: Self.outcomes)
                sink.emit(.E006, "unknown outcome '\(text)'; expected one of \(Self.outcomes.joined(separator: ", "))", at: o.range,
                          help: guess.map { "did you mean '\($0)'?" },
                          fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: o.range, replacement: $0) })
                return nil
            }
            e.outcome = text
        }
        if let d = f["destination"] {
            if d.isNull {
                e.destination = .some(nil)
            } else {
                let kinds = DestinationKinds.all
                guard let m = mapping(d, "'destination'", allowed: kinds), let pair = d.pairs?.first, d.pairs?.count == 1,
                      let kind = pair.key.scalar, let value = string(pair.value, "a destination") else {
                    sink.emit(.E006, "'destination' takes exactly one of \(kinds.joined(separator: ", "))", at: d.range)
                    return nil
                }
                _ = m
                e.destination = .some((kind, value))
            }
        }
        if let v = f["visited"] { e.visited = stringList(v, "'visited'") }
        if let h = f["heard"] { e.heard = stringList(h, "'heard'") }
        if let v = f["variables"] {
            guard let pairs = v.pairs else {
                sink.emit(.E005, "'variables' must map names to values", at: v.range)
                return nil
            }
            e.variables = pairs.compactMap { p in
                guard let k = p.key.scalar, let value = string(p.value, "a variable value") else { return nil }
                return (k, value)
            }
        }
        return e
    }

    // MARK: - Field helpers

    private struct Fields {
        var pairs: [YAMLNode.Pair]
        subscript(key: String) -> YAMLNode? { pairs.first { $0.key.scalar == key }?.value }
    }

    private mutating func mapping(_ node: YAMLNode, _ what: String, allowed: [String]) -> Fields? {
        guard let pairs = node.pairs else {
            sink.emit(.E005, "\(what) must be a mapping, found \(node.kindName)", at: node.range)
            return nil
        }
        for p in pairs {
            guard let key = p.key.scalar, allowed.contains(key) else {
                let key = p.key.scalar ?? "?"
                let guess = closestMatch(to: key, in: allowed)
                sink.emit(.E003, "unknown field '\(key)' in \(what); expected \(allowed.joined(separator: ", "))",
                          at: p.key.range, help: guess.map { "did you mean '\($0)'?" },
                          fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: p.key.range, replacement: $0) })
                return nil
            }
        }
        return Fields(pairs: pairs)
    }

    private mutating func require(_ f: Fields, _ key: String, in node: YAMLNode) -> YAMLNode? {
        if let v = f[key] { return v }
        sink.emit(.E004, "missing '\(key)'", at: node.range)
        return nil
    }

    private mutating func string(_ node: YAMLNode, _ what: String) -> String? {
        guard let s = node.scalar, !node.isNull else {
            sink.emit(.E005, "\(what) must be a string, found \(node.kindName)", at: node.range)
            return nil
        }
        return s
    }

    private mutating func stringList(_ node: YAMLNode, _ what: String) -> [String]? {
        guard let items = node.items else {
            sink.emit(.E005, "\(what) must be a list, found \(node.kindName)", at: node.range)
            return nil
        }
        return items.compactMap { string($0, "an item of \(what)") }
    }
}

/// The destination kinds a test may expect.
enum DestinationKinds {
    static let all = ["number", "extension", "sip", "conference", "group", "app"]
}

/// A canned webhook body written in YAML, as JSON. Plain scalars that read
/// as numbers, booleans or null are typed; everything else is a string.
enum YAMLToJSON {
    static func convert(_ node: YAMLNode, depth: Int = 0) -> JSON {
        guard depth < JSONParser.maxDepth else { return .null }
        switch node.kind {
        case .scalar(let s, let style):
            if style == .plain {
                if node.isNull { return .null }
                if s == "true" || s == "false" { return .bool(s == "true") }
                if JSONParser.parse(Array(s.utf8)).map({ if case .number = $0 { true } else { false } }) == true { return .number(s) }
            }
            return .string(s)
        case .sequence(let items): return .array(items.map { convert($0, depth: depth + 1) })
        case .mapping(let pairs): return .object(pairs.map { ($0.key.scalar ?? "", convert($0.value, depth: depth + 1)) })
        }
    }
}

/// Levenshtein distance, for "did you mean".
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var row = Array(0...b.count)
    for i in 1...a.count {
        var previous = row[0]
        row[0] = i
        for j in 1...b.count {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return row[b.count]
}
