import IVRSyntax

/// Durations of the platforms (milliseconds or seconds as numbers) written
/// as ivrc durations, kept inside the range the checker accepts.
enum ImportDurations {
    /// `ms` as `5s` or `1500ms`, moved into `limit`'s range with a warning when outside it.
    static func text(milliseconds ms: Int, _ limit: DurationLimit, field: String, line: Int,
                     into draft: inout FlowDraft) -> YAMLValue {
        var value = ms
        if !limit.range.contains(ms) {
            value = min(max(ms, limit.range.lowerBound), limit.range.upperBound)
            draft.warn(line, "\(field) \(IVRSyntax.Duration(milliseconds: ms)) is outside ivrc's range "
                           + "(\(limit.rangeText)); written as \(IVRSyntax.Duration(milliseconds: value))")
        }
        return .scalar("\(IVRSyntax.Duration(milliseconds: value))")
    }
}
