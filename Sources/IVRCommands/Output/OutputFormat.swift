import ArgumentParser

/// How `check` (and every command that reports diagnostics) prints them.
public enum OutputFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case human
    case json
    case sarif
    case github

    /// Renders a report in this format. `color` matters only to `human`.
    public func render(_ report: CheckReport, color: Bool = false) -> String {
        switch self {
        case .human: HumanFormatter(color: color).format(report)
        case .json: JSONFormatter.format(report)
        case .sarif: SARIFFormatter.format(report)
        case .github: GitHubFormatter.format(report)
        }
    }
}

/// `--color auto|always|never`.
public enum ColorMode: String, CaseIterable, Sendable, ExpressibleByArgument {
    case auto
    case always
    case never

    /// Whether to colour: `auto` colours only a terminal, and only when
    /// `NO_COLOR` is unset or empty (https://no-color.org).
    public func enabled(isTerminal: Bool, environment: [String: String]) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto: isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
        }
    }
}
