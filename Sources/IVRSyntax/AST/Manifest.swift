/// `ivr-project.yaml` (section 8).
public struct Manifest: Sendable {
    public struct Directory: Sendable {
        public var extensions: [Located<String>] = []
        public var conferences: [Located<String>] = []
        public var groups: [Located<String>] = []
        public var apps: [Located<String>] = []
        public var range: SourceRange
        public init(range: SourceRange) { self.range = range }
    }

    public struct SIPSettings: Sendable {
        public var pbx: Located<String>?
        public var trunk: Located<String>?
        /// `transfer`: how transfers connect when their step has no `via`
        /// (refer, bridge or auto); nil: refer.
        public var transfer: Located<Transfer.Via>?
        /// `outbound-proxy`: the URI initial requests are sent through, as
        /// written (IVRCheck checks it is a `sip:`/`sips:` URI).
        public var outboundProxy: Located<String>?
        /// `credentials`: answers to challenges to the requests ivrc sends.
        public var credentials: [Credential] = []
        /// `register`: bindings kept at registrars while `serve` runs.
        public var register: [Registration] = []
        /// `inbound`: who may send requests to `serve`.
        public var inbound: Inbound?
        public init() {}
    }

    public var file: String
    public var name: Located<String>?
    public var flows: Located<String>?
    public var audio: Located<String>?
    public var directory: Directory?
    public var sip: SIPSettings?

    public init(file: String) { self.file = file }
}
