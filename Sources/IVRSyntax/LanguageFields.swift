/// The field names of the flow language, as the parser accepts them: one list
/// per mapping of flow-language.md. Tools outside the parser (the JSON Schemas
/// in `schema/`, editors, documentation) are checked against these lists, so
/// a field added to the parser and forgotten elsewhere fails a test.
///
/// The lists the builder keeps as named constants are returned as they are.
/// The few it writes inline at the point of use (`defaults`, `events`, a
/// branch arm, the manifest, ...) are repeated here; `SchemaTests` probes the
/// parser with an unknown field in each of those mappings and compares the
/// parser's own "takes: ..." note with these lists, so they cannot drift.
public enum LanguageFields {
    /// Fields of a flow file's top level (section 2).
    public static var flow: [String] { FlowBuilder.flowFields }
    /// The step keys (section 3).
    public static var stepKeywords: [String] { FlowBuilder.stepKeywords }
    /// Fields of `say: {...}`.
    public static var say: [String] { FlowBuilder.stepFields["say"] ?? [] }
    /// Fields of `play: {...}`.
    public static var play: [String] { FlowBuilder.stepFields["play"] ?? [] }
    /// Fields of `menu` (section 4).
    public static var menu: [String] { FlowBuilder.menuFields }
    /// Fields of `capture` (section 5.1).
    public static var capture: [String] { FlowBuilder.captureFields }
    /// Fields of `transfer`: the destination keys plus its options (section 5.3).
    public static var transfer: [String] { FlowBuilder.transferFields }
    /// The destination keys of `transfer`, one of which is required.
    public static var destinations: [String] { FlowBuilder.destinationKeys }
    /// Fields of `webhook` (section 7).
    public static var webhook: [String] { FlowBuilder.webhookFields }
    /// Fields of `record`.
    public static var record: [String] { FlowBuilder.recordFields }
    /// Fields of `wait`.
    public static var wait: [String] { FlowBuilder.waitFields }

    /// Fields of `defaults`.
    public static let defaults = ["timeout", "inter-digit-timeout", "attempts"]
    /// Fields of `events`.
    public static let events = ["url"]
    /// Fields of a menu's `dial-by-extension`.
    public static let dialByExtension = ["pattern", "inter-digit-timeout"]
    /// Fields of one arm of `branch`.
    public static let branchArm = ["if", "then", "else"]
    /// Fields of `ivr-project.yaml` (section 8).
    public static let manifest = ["name", "flows", "audio", "directory", "sip"]
    /// Fields of the manifest's `directory`.
    public static let directory = ["extensions", "conferences", "groups", "apps"]
    /// Fields of the manifest's `sip`.
    public static var sip: [String] { FlowBuilder.sipFields.names }
    /// Fields of one `sip.credentials` entry.
    public static var credential: [String] { FlowBuilder.credentialFields.names }
    /// Fields of one `sip.register` entry.
    public static var register: [String] { FlowBuilder.registrationFields.names }
    /// Fields of `sip.inbound`.
    public static var inbound: [String] { FlowBuilder.inboundFields.names }
    /// Fields of `sip.inbound.auth`.
    public static var inboundAuth: [String] { FlowBuilder.inboundAuthFields.names }
    /// Fields of one `sip.inbound.auth.users` entry.
    public static var inboundUser: [String] { FlowBuilder.inboundUserFields.names }
    /// The fixed fields of an `hours` schedule; every other key is a day or a
    /// day range (`mon`, `mon-fri`, `sat,sun`).
    public static let schedule = ["timezone", "closed"]
    /// The built-in targets, which no node may be named after.
    public static var builtinTargets: [String] { BuiltinTarget.allCases.map(\.rawValue) }
}
