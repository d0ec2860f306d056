import IVRSyntax

/// The help text of each diagnostic code, for the rules of a SARIF log
/// (code scanning shows it beside each finding): when the code is raised,
/// and where the full page with a wrong and a fixed example is.
enum RuleHelp {
    /// When `code` is raised, in one sentence (the spec's table).
    static func when(_ code: DiagnosticCode) -> String {
        switch code {
        case .E001: "The file is not valid YAML (libyaml's message and position; an unquoted * or # key gets a hint; a tab in the indentation is named as the cause)."
        case .E002: "A mapping has the same key twice."
        case .E003: "A field the language does not have (with a \"did you mean\")."
        case .E004: "A required field is missing."
        case .E005: "A value has the wrong type (a list where a string is needed, a string where a step is needed, a YAML 1.1 boolean such as no where true or false is needed)."
        case .E006: "An invalid value: a duration without a unit or outside its field's range, a bad name, a number out of range, min greater than max."
        case .E007: "Unsupported YAML: alias expansion past the limit, a tag other than the core ones, several documents."
        case .E101: "A menu key that is not 0-9, * or #."
        case .E102: "The same key twice in one menu (also star and \"*\")."
        case .W103: "A menu leaves keys unhandled and has no on-invalid: those keys do nothing the caller can hear."
        case .W104: "A prompt says \"press N\" (or \"N for\") and the menu has no option N."
        case .W105: "An option whose key no prompt text or transcript mentions."
        case .E106: "A menu with no options."
        case .E107: "A capture that can never succeed (the pattern cannot match min..max digits, or the terminator is a digit)."
        case .W108: "A menu key that also begins a dial-by-extension number: callers choosing it wait for the inter-digit timeout."
        case .E201: "A target names no node of the flow."
        case .E202: "transfer: {ivr: NAME} names no flow of the project."
        case .E203: "An internal destination that the manifest's directory does not list."
        case .E204: "An audio file that does not exist."
        case .W205: "Audio that is not telephony-ready (WAV not 8 kHz mono PCM16/u-law/A-law, or a .pcm file of odd size)."
        case .E206: "A malformed destination (SIP URI, E.164 number, extension)."
        case .W207: "A node no path from the start node reaches."
        case .W208: "Steps after a jump, which never run."
        case .E209: "A variable read where some path reaches it unset."
        case .E210: "A node named after a built-in target (repeat, back, top, hangup)."
        case .E211: "Two flows with the same name or the same extension."
        case .E212: "back in a node that no menu leads to."
        case .E213: "A played file that is not audio at all: neither a WAV nor raw .pcm (a text file, an image, an empty file)."
        case .E301: "A loop that never waits for the caller (an infinite loop)."
        case .E302: "Nodes from which the call can never end (no path to a transfer or a hangup)."
        case .E303: "A caller who never presses a key is never disconnected (the silence path loops)."
        case .W304: "A node ends without a jump: the call hangs up there implicitly."
        case .E401: "An expression type error."
        case .E402: "An expression syntax error."
        case .E403: "An unknown function or a wrong number of arguments."
        case .E404: "open() names no schedule of the flow's hours."
        case .E405: "A bad time zone, day or time range in hours."
        case .E406: "An invalid regular expression."
        case .E501: "A destination built from caller input without an allow regex (toll fraud)."
        case .W502: "A webhook or events URL over plain http://."
        case .E503: "A sensitive value spoken, put in a URL, or sent over plain http://."
        }
    }

    /// The rule's help in plain text.
    static func text(_ code: DiagnosticCode) -> String {
        "\(when(code)) See docs/diagnostics.md, section \(code.rawValue), for a flow that has it and the same flow fixed."
    }

    /// The rule's help in Markdown.
    static func markdown(_ code: DiagnosticCode) -> String {
        "**\(code.rawValue) \(code.title)**\n\n\(when(code))\n\n"
            + "See `docs/diagnostics.md`, section `\(code.rawValue)`, for a flow that has it and the same flow fixed."
    }
}
