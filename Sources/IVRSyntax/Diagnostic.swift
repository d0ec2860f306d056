/// One finding about a source file: a stable code, a message, where it is,
/// and what might help.
public struct Diagnostic: Sendable, Hashable {
    /// A secondary message, optionally pointing at another place.
    public struct Note: Sendable, Hashable {
        public var message: String
        public var file: String?
        public var range: SourceRange?

        public init(_ message: String, file: String? = nil, range: SourceRange? = nil) {
            self.message = message
            self.file = file
            self.range = range
        }
    }

    /// A suggested edit: replace `range` with `replacement`.
    public struct FixIt: Sendable, Hashable {
        public var message: String
        public var range: SourceRange
        public var replacement: String

        public init(message: String, range: SourceRange, replacement: String) {
            self.message = message
            self.range = range
            self.replacement = replacement
        }
    }

    public var code: DiagnosticCode
    public var severity: Severity
    public var message: String
    public var file: String
    public var range: SourceRange
    public var notes: [Note]
    /// Free-text help, printed as `= help: ...`.
    public var help: String?
    public var fix: FixIt?

    public init(
        _ code: DiagnosticCode,
        _ message: String,
        file: String,
        range: SourceRange,
        notes: [Note] = [],
        help: String? = nil,
        fix: FixIt? = nil
    ) {
        self.code = code
        self.severity = code.defaultSeverity
        self.message = message
        self.file = file
        self.range = range
        self.notes = notes
        self.help = help
        self.fix = fix
    }
}

extension Diagnostic {
    /// Sorts by file, then position, then code: the order diagnostics are printed in.
    public static func sortedForOutput(_ list: [Diagnostic]) -> [Diagnostic] {
        list.sorted { a, b in
            if a.file != b.file { return a.file < b.file }
            if a.range.start.offset != b.range.start.offset {
                return a.range.start.offset < b.range.start.offset
            }
            return a.code < b.code
        }
    }
}

/// Collects diagnostics for one file.
public struct DiagnosticSink: Sendable {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String) {
        self.file = file
    }

    public mutating func emit(_ d: Diagnostic) {
        diagnostics.append(d)
    }

    public mutating func emit(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange,
        notes: [Diagnostic.Note] = [], help: String? = nil, fix: Diagnostic.FixIt? = nil
    ) {
        diagnostics.append(Diagnostic(code, message, file: file, range: range, notes: notes, help: help, fix: fix))
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

extension Diagnostic.FixIt {
    /// Whether `text` reads the same written in any scalar style and inside
    /// an expression's quotes (letters, digits and `-_./+@`), so that a
    /// fix-it may put it in place of a name without quoting or escaping it.
    public static func isPlainName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./+@".unicodeScalars.contains($0)
        }
    }

    /// `text` as a YAML scalar that replaces a whole scalar: as it is when
    /// it is a plain name, else in double quotes.
    public static func scalar(_ text: String) -> String {
        if isPlainName(text), let first = text.unicodeScalars.first, !"-.+@".unicodeScalars.contains(first),
           !["null", "Null", "NULL"].contains(text) {
            return text
        }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    quoted += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }
}
