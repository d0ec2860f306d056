/// E504: a `password` key in a project file (the manifest, a flow, a test
/// file). Secrets do not belong in files that are committed and shared:
/// the fix-it turns `password: ...` into `password-env: NAME`, the name of
/// an environment variable that `serve` and `call` read when they start.
/// Nothing here repeats the value: not the message, the help, nor the fix-it.
extension DiagnosticSink {
    /// The environment variable the fix-it names.
    public static let suggestedPasswordVariable = "SIP_PASSWORD"

    /// E504 for a `password` key at `key` whose value spans `value`.
    public mutating func writtenPassword(key: SourceRange, value: SourceRange, in context: String) {
        let name = Self.suggestedPasswordVariable
        emit(.E504, "a password is written in \(context): a project file must not hold a secret", at: key,
             help: "put the secret in an environment variable and write its name instead, "
                 + "'password-env: \(name)'; `serve` and `call` read it when they start, `check` and `build` never need it",
             fix: Diagnostic.FixIt(message: "write 'password-env: \(name)'", range: key.union(value),
                                   replacement: "password-env: \(name)"))
    }
}
