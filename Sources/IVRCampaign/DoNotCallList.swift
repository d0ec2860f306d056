import Foundation

/// `--do-not-call FILE`: numbers never to dial, one per line (E.164; the
/// first comma-separated field of a line, so a CSV export works; blank
/// lines, `#` comments and a `number` header are ignored). Contacts on it
/// end at once as `do-not-call`.
public struct DoNotCallList: Sendable {
    public var numbers: Set<String>

    public init(numbers: Set<String> = []) { self.numbers = numbers }

    public static func read(file: String) -> Result<DoNotCallList, ContactList.Failure> {
        guard let data = FileManager.default.contents(atPath: file) else {
            return .failure(.unreadable(file: file, reason: FileManager.default.fileExists(atPath: file) ? "permission denied or not a file" : "no such file"))
        }
        var numbers = Set<String>()
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let field = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let text = field.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\"")))
            if text.isEmpty || text.hasPrefix("#") || text == "number" { continue }
            numbers.insert(text)
        }
        return .success(DoNotCallList(numbers: numbers))
    }

    public func contains(_ number: String) -> Bool { numbers.contains(number) }
}
