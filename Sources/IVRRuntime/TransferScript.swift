import IVRBytecode

/// Scripted transfer results by destination value (a test case's
/// `transfers:`, `--transfer VALUE=RESULT`): a transfer to a value not
/// listed is answered.
public struct TransferScript: Sendable, Equatable {
    /// Destination value (as in `destination`, after interpolation) -> result.
    public var results: [String: TransferOutcome] = [:]

    public init(_ results: [String: TransferOutcome] = [:]) { self.results = results }

    /// The result of a transfer to this request's destination: by its real
    /// value, else by the value shown (`***` for a sensitive one).
    public func result(for request: TransferRequest) -> TransferOutcome {
        results[request.value] ?? results[request.shownValue] ?? .answered
    }

    /// Whether a script's key stands for this request's destination (its
    /// real value, or the value shown).
    public static func key(_ key: String, matches request: TransferRequest) -> Bool {
        key == request.value || key == request.shownValue
    }

    /// Parses `--transfer` values, `VALUE=RESULT` each. VALUE may hold `=`
    /// itself (`sip:x@pbx;transport=tcp`): RESULT is after the last one.
    public static func parse(_ specs: [String]) -> Result<TransferScript, CallScriptError> {
        var script = TransferScript()
        for spec in specs {
            guard let eq = spec.lastIndex(of: "="), eq != spec.startIndex else { return .failure(.transferSyntax(spec)) }
            let word = String(spec[spec.index(after: eq)...])
            guard let result = TransferOutcome(scripted: word) else {
                return .failure(.unknownTransferResult(spec: spec, result: word))
            }
            script.results[String(spec[..<eq])] = result
        }
        return .success(script)
    }
}
