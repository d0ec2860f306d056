/// The forms a report takes (`ivrc report --format`): the same numbers as
/// aligned text, one JSON object, or a self-contained HTML page.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, html

    /// The report on `statistics`, read from `files` logs that had `malformed` skipped lines.
    public func render(_ statistics: CallStatistics, files: Int, malformed: Int) -> String {
        switch self {
        case .text: ReportTextFormatter.format(statistics, files: files, malformed: malformed)
        case .json: ReportJSONFormatter.format(statistics, files: files, malformed: malformed)
        case .html: ReportHTMLFormatter.format(statistics, files: files, malformed: malformed)
        }
    }
}
