import IVRSyntax

/// A `*.test.yaml` file (flow-language.md section 9), as `FlowTestParser`
/// reads it.
public struct FlowTestFile: Sendable {
    public var file: String
    public var flow: Located<String>
    /// File-level `at:` and `caller:`: the cases that give none inherit them
    /// (already applied to `cases`).
    public var at: Located<String>?
    public var caller: Located<String>?
    public var cases: [FlowTestCase]
}

/// One case: a scripted call and what must come of it.
public struct FlowTestCase: Sendable {
    public var name: String
    public var range: SourceRange
    public var input: [InputToken] = []
    /// `callee-input`: the callee's keys, for a bridged transfer's `confirm`.
    public var calleeInput: [InputToken] = []
    /// The case's own `caller`, else the file's.
    public var caller: String?
    /// The case's own `at`, else the file's; nil: the real clock.
    public var at: Located<String>?
    public var webhooks: [(prefix: String, response: WebhookResponse)] = []
    /// Scripted transfer results, by destination value (`transfers:`).
    public var transfers: [(value: Located<String>, result: TransferOutcome)] = []
    public var expect = Expectations()

    /// `transfers` as the scripted backend takes them.
    public var transferScript: TransferScript {
        TransferScript(Dictionary(transfers.map { ($0.value.value, $0.result) }, uniquingKeysWith: { $1 }))
    }

    /// What `expect:` asks for; nil fields are not checked.
    public struct Expectations: Sendable {
        public var outcome: String?
        /// nil: not checked; .some(nil): no destination.
        public var destination: (kind: String, value: String)??
        /// How the transfer connected: refer or bridge.
        public var via: TransferVia?
        /// The node names of `visited`, where they are written.
        public var visitedNodes: [Located<String>]?
        public var heard: [String]?
        public var variables: [(name: String, value: String)]?

        /// The nodes `visited` names, in order.
        public var visited: [String]? { visitedNodes?.map(\.value) }
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
