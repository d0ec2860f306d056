/// Every diagnostic `ivrc` can raise, with what describes it: the default
/// severity (by its letter), a title and a one-sentence summary (SARIF's
/// rules read both). The codes are stable: other programs match on them.
/// Who raises a code is declared beside it: `FlowParser.raises`,
/// `ProjectLoader.raises` and each check's line in IVRCheck's `CheckRegistry`.
public enum DiagnosticCode: String, Sendable, CaseIterable, Comparable {
    // YAML and structure
    case E001, E002, E003, E004, E005, E006, E007
    // Menus and captures
    case E101, E102, W103, W104, W105, E106, E107, W108
    // Targets, destinations, audio
    case E201, E202, E203, E204, W205, E206, W207, W208, E209, E210, E211, E212, E213, E214, E215
    // Control flow
    case E301, E302, E303, W304
    // Expressions and hours
    case E401, E402, E403, E404, E405, E406
    // Security
    case E501, W502, E503, E504

    /// Errors start with `E`, warnings with `W`.
    public var defaultSeverity: Severity {
        rawValue.hasPrefix("W") ? .warning : .error
    }

    /// A short title, used by SARIF rules and the GitHub format.
    public var title: String {
        switch self {
        case .E001: "YAML syntax error"
        case .E002: "duplicate mapping key"
        case .E003: "unknown field"
        case .E004: "required field missing"
        case .E005: "wrong type"
        case .E006: "invalid value"
        case .E007: "unsupported YAML"
        case .E101: "invalid menu key"
        case .E102: "duplicate menu key"
        case .W103: "unhandled keys without on-invalid"
        case .W104: "prompt mentions a key with no option"
        case .W105: "option not mentioned by any prompt"
        case .E106: "menu with no options"
        case .E107: "capture can never succeed"
        case .W108: "menu key begins a dial-by-extension match"
        case .E201: "unknown target node"
        case .E202: "unknown flow"
        case .E203: "destination not in directory"
        case .E204: "audio file not found"
        case .W205: "audio not telephony-ready"
        case .E206: "malformed destination"
        case .W207: "unreachable node"
        case .W208: "steps after a jump"
        case .E209: "variable may be unset"
        case .E210: "node named after a built-in"
        case .E211: "duplicate flow name or extension"
        case .E212: "back without a previous menu"
        case .E213: "not an audio file"
        case .E214: "bridge-only field on a transfer that is not bridged"
        case .E215: "bridged number with no trunk"
        case .E301: "infinite loop without caller input"
        case .E302: "call can never end"
        case .E303: "silent caller never disconnected"
        case .W304: "implicit hangup"
        case .E401: "expression type error"
        case .E402: "expression syntax error"
        case .E403: "unknown function or wrong argument count"
        case .E404: "unknown schedule"
        case .E405: "invalid business hours"
        case .E406: "invalid regex"
        case .E501: "caller-controlled destination without allow"
        case .W502: "plain http URL"
        case .E503: "sensitive value exposed"
        case .E504: "password written in a project file"
        }
    }

    /// When the code is raised, in one sentence: SARIF's full description and help.
    public var summary: String {
        switch self {
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
        case .E214: "A bridge-only transfer field (ringback, whisper, confirm, confirm-timeout, record, max-duration) on a transfer that is not bridged: its via, else the manifest's sip.transfer, else refer, is refer, or it is an ivr: transfer (via: bridge on an ivr: transfer too)."
        case .E215: "A bridged transfer (via: bridge, or the manifest's sip.transfer bridge or auto) to a number in a project whose manifest has no sip.trunk to place the call through."
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
        case .E504: "A password written in a project file (the manifest, a flow, a test file): name an environment variable with password-env instead."
        }
    }

    public static func < (a: DiagnosticCode, b: DiagnosticCode) -> Bool {
        a.number < b.number
    }

    /// The numeric part of the code, so that W103 sorts between E102 and E106.
    public var number: Int { Int(rawValue.dropFirst()) ?? 0 }
}

/// How bad a diagnostic is. `--strict` turns warnings into errors.
public enum Severity: String, Sendable, Comparable {
    case warning
    case error

    public static func < (a: Severity, b: Severity) -> Bool {
        a == .warning && b == .error
    }
}
