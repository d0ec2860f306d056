import IVRSyntax

/// The help text of each diagnostic code, for the rules of a SARIF log
/// (code scanning shows it beside each finding): when the code is raised
/// (`DiagnosticCode.summary`), and where the full page with a wrong and a
/// fixed example is.
enum RuleHelp {
    /// The rule's help in plain text.
    static func text(_ code: DiagnosticCode) -> String {
        "\(code.summary) See docs/diagnostics.md, section \(code.rawValue), for a flow that has it and the same flow fixed."
    }

    /// The rule's help in Markdown.
    static func markdown(_ code: DiagnosticCode) -> String {
        "**\(code.rawValue) \(code.title)**\n\n\(code.summary)\n\n"
            + "See `docs/diagnostics.md`, section `\(code.rawValue)`, for a flow that has it and the same flow fixed."
    }
}
