/// One IVR flow file, as the language of flow-language.md section 2 describes it.
public struct Flow: Sendable {
    /// The path the flow was read from, as given to the tool (used in diagnostics).
    public var file: String
    public var name: Located<String>
    public var description: Located<String>?
    public var extensionNumber: Located<String>?
    public var customer: Located<String>?
    public var servers: [Located<String>]
    public var language: Located<String>?
    public var voice: Located<String>?
    /// The explicit `start:`; `startNode` resolves the default.
    public var start: Located<String>?
    public var defaults: Defaults
    public var hours: [Schedule]
    public var events: Events?
    /// `inputs:`: variables an outbound campaign sets on entry from the
    /// contact's CSV columns (empty strings when the flow runs inbound).
    public var inputs: [Located<String>] = []
    /// Nodes in file order.
    public var nodes: [Node]
    /// The whole document.
    public var range: SourceRange

    public init(file: String, name: Located<String>, range: SourceRange) {
        self.file = file
        self.name = name
        self.servers = []
        self.defaults = Defaults()
        self.hours = []
        self.nodes = []
        self.range = range
    }

    /// The first node callers reach: `start`, else the first node listed.
    public var startNodeName: String? { start?.value ?? nodes.first?.name.value }

    public func node(named name: String) -> Node? { nodes.first { $0.name.value == name } }
}

/// `defaults:`: values every menu and capture inherits.
public struct Defaults: Sendable {
    public var timeout: Located<Duration>?
    public var interDigitTimeout: Located<Duration>?
    public var attempts: Located<Int>?
    public init() {}
}

/// `events:`: where call events are posted.
public struct Events: Sendable {
    public var url: Located<InterpolatedString>
    public var range: SourceRange
    public init(url: Located<InterpolatedString>, range: SourceRange) {
        self.url = url
        self.range = range
    }
}

/// A named node: one step or a list of steps.
public struct Node: Sendable {
    public var name: Located<String>
    public var steps: [Step]
    /// The node's value (the step mapping or the list).
    public var range: SourceRange
    /// Part of the node could not be built (a structural error was reported);
    /// analyses skip such nodes rather than report consequences of that error.
    public var isMalformed = false

    public init(name: Located<String>, steps: [Step], range: SourceRange) {
        self.name = name
        self.steps = steps
        self.range = range
    }
}
