/// Duration fields: a number with a unit, more than zero, inside the
/// field's `DurationLimit`.
extension FlowBuilder {
    mutating func duration(_ node: YAMLView, _ field: String, _ limit: DurationLimit) -> Located<Duration>? {
        guard let s = string(node, field) else { return nil }
        guard let d = Duration(parsing: s) else {
            nodeIsMalformed = true
            if Self.isBareNumber(s) {
                sink.emit(bareNumber(s, field, limit, at: node.range))
            } else {
                sink.emit(.E006, "'\(s)' is not a duration", at: node.range,
                          help: "durations look like 500ms, 5s, 1.5s, 2m or 1m30s")
            }
            return nil
        }
        // Every duration of the language is a wait or a limit: zero means the caller gets no time.
        guard d.milliseconds > 0 else {
            sink.emit(.E006, "'\(field)' of '\(s)' leaves no time: a duration must be more than zero", at: node.range,
                      help: "durations look like 500ms, 5s, 2m or 1m30s; \(limit.what) is \(limit.rangeText)")
            nodeIsMalformed = true
            return nil
        }
        guard limit.range.contains(d.milliseconds) else {
            let spelled = d.description == s ? "" : " (\(d))"
            sink.emit(.E006, "'\(field)' of '\(s)'\(spelled) is out of range: \(limit.what) is \(limit.rangeText)",
                      at: node.range,
                      help: "was a unit mistyped? \(Duration(milliseconds: limit.typical)) is usual here")
            nodeIsMalformed = true
            return nil
        }
        return Located(d, node.range)
    }

    /// E006 for a number without a unit, naming both readings and offering
    /// the one that is a sensible value for the field.
    private func bareNumber(_ s: String, _ field: String, _ limit: DurationLimit,
                            at range: SourceRange) -> Diagnostic {
        let readings = ["s", "ms"].compactMap { unit in Duration(parsing: s + unit).map { "'\(s)\(unit)' is \($0)" } }
        let said = readings.isEmpty ? "" : " (\(readings.joined(separator: ", ")))"
        let message = "duration '\(s)' needs a unit"
        guard let unit = DurationLimits.unit(forBareNumber: s, in: limit),
              let meant = Duration(parsing: s + unit) else {
            return Diagnostic(.E006, message, file: sink.file, range: range,
                              help: "write it with a unit\(said); \(limit.what) is \(limit.rangeText)")
        }
        let name = unit == "ms" ? "milliseconds" : "seconds"
        return Diagnostic(.E006, message, file: sink.file, range: range,
                          help: "write '\(s)\(unit)'\(said); \(limit.what) is \(limit.rangeText)",
                          fix: Diagnostic.FixIt(message: "use \(name): '\(s)\(unit)' is \(meant)",
                                                range: range, replacement: "\(s)\(unit)"))
    }

    /// Digits, with an optional decimal fraction: `5`, `3000`, `1.5`.
    static func isBareNumber(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}
