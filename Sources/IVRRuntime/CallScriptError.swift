/// Why `CallScript.parse` (or `CannedWebhooks.parse`, `TransferScript.parse`)
/// refused a value of `--at`, `--webhook` or `--transfer`.
public enum CallScriptError: Error, Sendable, Equatable {
    /// `--at` is not an ISO 8601 time.
    case invalidTime(String)
    /// A `--webhook` value without `=`.
    case webhookSyntax(String)
    /// `PREFIX=@file.json` whose file cannot be read.
    case webhookFileUnreadable(prefix: String, path: String)
    /// The answer (given inline, or in `file`) is not JSON.
    case webhookNotJSON(prefix: String, file: String?)
    /// The answer (given inline, or in `file`) is JSON but not an object.
    case webhookNotAnObject(prefix: String, file: String?)
    /// A `--transfer` value without `VALUE=`.
    case transferSyntax(String)
    /// A `--transfer` result that is none of `TransferOutcome`'s words.
    case unknownTransferResult(spec: String, result: String)
}
