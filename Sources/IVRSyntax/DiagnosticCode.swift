/// Every diagnostic `ivrc` can raise, with its default severity.
/// The codes are stable: other programs match on them.
public enum DiagnosticCode: String, Sendable, CaseIterable, Comparable {
    // YAML and structure
    case E001, E002, E003, E004, E005, E006, E007
    // Menus and captures
    case E101, E102, W103, W104, W105, E106, E107, W108
    // Targets, destinations, audio
    case E201, E202, E203, E204, W205, E206, W207, W208, E209, E210, E211, E212, E213
    // Control flow
    case E301, E302, E303, W304
    // Expressions and hours
    case E401, E402, E403, E404, E405, E406
    // Security
    case E501, W502, E503

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
