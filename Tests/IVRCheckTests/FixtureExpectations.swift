import Foundation

/// What a fixture says it should produce, read from its comments:
/// `# expect: CODE, CODE` at the end of a line (a diagnostic starts on that
/// line), `# expect-at LINE[:COL] CODE` anywhere, `# expect-help: TEXT`,
/// `# expect-fix: TEXT` (some diagnostic's fix-it replaces its range with
/// TEXT; in double quotes when it has spaces at either end: `"        "`).
struct FixtureExpectations {
    struct Expected: Hashable, CustomStringConvertible {
        var file: String
        var line: Int
        var column: Int?
        var code: String
        var description: String { "\(file):\(line)\(column.map { ":\($0)" } ?? "") \(code)" }
    }

    var diagnostics: [Expected] = []
    var helps: [String] = []
    var fixes: [String] = []

    mutating func read(file: String, text: String) {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine)
            if let r = line.range(of: "# expect-fix:") {
                var text = line[r.upperBound...].trimmingCharacters(in: .whitespaces)
                if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
                fixes.append(text)
            } else if let r = line.range(of: "# expect-help:") {
                helps.append(line[r.upperBound...].trimmingCharacters(in: .whitespaces))
            } else if let r = line.range(of: "# expect-at ") {
                let rest = line[r.upperBound...].split(separator: " ", omittingEmptySubsequences: true)
                guard rest.count >= 2 else { continue }
                let position = rest[0].split(separator: ":")
                guard let l = Int(position[0]) else { continue }
                let c = position.count > 1 ? Int(position[1]) : nil
                for code in rest[1...] {
                    diagnostics.append(Expected(file: file, line: l, column: c,
                                                code: code.trimmingCharacters(in: CharacterSet(charactersIn: ", "))))
                }
            } else if let r = line.range(of: "# expect:") {
                for code in line[r.upperBound...].split(separator: ",") {
                    let c = code.trimmingCharacters(in: .whitespaces)
                    if !c.isEmpty { diagnostics.append(Expected(file: file, line: index + 1, column: nil, code: c)) }
                }
            }
        }
    }
}
