/// Our own typing of YAML scalars: strings stay strings (no YAML 1.1
/// booleans), integers, booleans and durations are read where a field wants them.
extension FlowBuilder {
    /// A string field: any non-null scalar.
    mutating func string(_ node: YAMLView, _ field: String) -> String? {
        if node.shape == .scalar, !node.isNull, let s = node.scalar { return s }
        sink.emit(.E005, "'\(field)' must be a string, found \(node.kindName)", at: node.range)
        nodeIsMalformed = true
        return nil
    }

    mutating func locatedString(_ node: YAMLView, _ field: String) -> Located<String>? {
        string(node, field).map { Located($0, node.range) }
    }

    /// A BCP 47 language tag (`en-US`, `es-419`, `zh-Hant-TW`): a primary
    /// subtag of 2-8 letters, then subtags of 1-8 letters or digits, joined
    /// by '-' (the schema's pattern).
    mutating func languageTag(_ node: YAMLView, _ field: String) -> Located<String>? {
        guard let s = string(node, field) else { return nil }
        if Self.isLanguageTag(s) { return Located(s, node.range) }
        let dashed = String(s.map { $0 == "_" ? "-" : $0 })
        let fix = dashed != s && Self.isLanguageTag(dashed)
            ? Diagnostic.FixIt(message: "use '-' between subtags", range: node.range, replacement: dashed) : nil
        sink.emit(.E006, "'\(s)' is not a BCP 47 language tag", at: node.range,
                  help: fix != nil ? "write '\(dashed)'" : "language tags look like en-US, es-419 or fr-CA", fix: fix)
        nodeIsMalformed = true
        return nil
    }

    static func isLanguageTag(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...8).contains(first.count),
              first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }

    /// A list of strings; a single scalar is accepted as a list of one.
    mutating func stringList(_ node: YAMLView, _ field: String) -> [Located<String>] {
        if let s = node.scalar, !node.isNull { return [Located(s, node.range)] }
        guard let items = node.lazyItems else {
            sink.emit(.E005, "'\(field)' must be a list of strings, found \(node.kindName)", at: node.range)
            return []
        }
        return items.compactMap { locatedString($0, field) }
    }

    mutating func integer(_ node: YAMLView, _ field: String, in valid: ClosedRange<Int>) -> Located<Int>? {
        guard let s = node.scalar, !node.isNull else {
            sink.emit(.E005, "'\(field)' must be a whole number, found \(node.kindName)", at: node.range)
            nodeIsMalformed = true
            return nil
        }
        guard !s.isEmpty, s.utf8.count <= 9, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(s) else {
            sink.emit(.E006, "'\(field)' must be a whole number, found '\(s)'", at: node.range)
            nodeIsMalformed = true
            return nil
        }
        guard valid.contains(n) else {
            sink.emit(.E006, "'\(field)' must be between \(valid.lowerBound) and \(valid.upperBound), found \(n)", at: node.range)
            nodeIsMalformed = true
            return nil
        }
        return Located(n, node.range)
    }

    mutating func attempts(_ node: YAMLView) -> Located<Int>? {
        integer(node, "attempts", in: WaitDefaults.attemptsRange)
    }

    /// `true` or `false`, unquoted. YAML 1.1's other booleans (`yes`, `no`,
    /// `on`, `off`, `y`, `n`, any case, and a quoted `"true"`) are strings
    /// in our typing: E005 with a fix-it to the boolean they were meant as.
    mutating func bool(_ node: YAMLView, _ field: String) -> Located<Bool>? {
        if node.shape == .scalar, node.style == .plain {
            if node.isScalar("true") { return Located(true, node.range) }
            if node.isScalar("false") { return Located(false, node.range) }
        }
        nodeIsMalformed = true
        let found = node.scalar.map { "'\($0)'" } ?? node.kindName
        if node.shape == .scalar, !node.isNull, let s = node.scalar, let meant = Self.yaml11Boolean(s) {
            let word = meant ? "true" : "false"
            let help = node.style == .plain
                ? "'\(s)' is a YAML 1.1 boolean, and YAML 1.1 booleans are strings in ivrc's typing"
                    + " (only true and false are booleans); write \(word)"
                : "a quoted \(s) is a string; write \(word) without quotes"
            sink.emit(.E005, "'\(field)' must be true or false, found \(found)", at: node.range, help: help,
                      fix: Diagnostic.FixIt(message: "replace with \(word)", range: node.range, replacement: word))
            return nil
        }
        sink.emit(.E005, "'\(field)' must be true or false, found \(found)", at: node.range)
        return nil
    }

    /// The boolean YAML 1.1 reads `text` as (any letter case), or nil.
    static func yaml11Boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "y", "on": true
        case "false", "no", "n", "off": false
        default: nil
        }
    }

    /// A key written as one of 0-9, *, #, star, hash, pound.
    mutating func dtmfKey(_ node: YAMLView, _ field: String) -> Located<DTMFKey>? {
        guard let s = string(node, field) else { return nil }
        guard let key = DTMFKey(spelling: s) else {
            sink.emit(.E006, "'\(field)' must be a key: 0-9, *, # (or star, hash, pound), found '\(s)'", at: node.range)
            nodeIsMalformed = true
            return nil
        }
        return Located(key, node.range)
    }

    /// A variable a step defines: letters, digits, '_', not starting with a digit.
    mutating func variableName(_ node: YAMLView, _ field: String, settingBuiltins: Bool = false) -> Located<String>? {
        guard let s = string(node, field) else { return nil }
        guard Self.isVariableName(s) else {
            sink.emit(.E006, "'\(s)' is not a valid variable name", at: node.range,
                      help: "use letters, digits and '_', starting with a letter or '_'")
            nodeIsMalformed = true
            return nil
        }
        if Variables.isReadOnly(s) {
            sink.emit(.E006, "'\(s)' is a read-only built-in variable", at: node.range)
            nodeIsMalformed = true
            return nil
        }
        if !settingBuiltins, Variables.isSettable(s) {
            sink.emit(.E006, "'\(s)' is a built-in variable; only 'set' may change it", at: node.range)
            nodeIsMalformed = true
            return nil
        }
        return Located(s, node.range)
    }

    static func isVariableName(_ s: String) -> Bool {
        // ASCII only: a byte test is the scalar test.
        guard let first = s.utf8.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return s.utf8.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    /// `name` or `name.field.field`.
    static func isVariableReference(_ s: String) -> Bool {
        !s.isEmpty && s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isVariableName(String($0)) }
    }
}

/// The built-in variables of section 5.2.
public enum Variables {
    /// Set by the runtime, never by a flow.
    /// `answered_by`: `human`, `machine` or `unknown` (answering-machine
    /// detection on outbound calls; `unknown` inbound).
    public static let readOnly: Set<String> = ["caller", "called", "flow", "answered_by"]
    /// Set by the runtime from the flow header; `set` may change them.
    public static let settable: Set<String> = ["language", "voice"]
    public static var builtins: Set<String> { readOnly.union(settable) }

    /// `readOnly.contains(name)`, without hashing names of other lengths.
    static func isReadOnly(_ name: String) -> Bool {
        let n = name.utf8.count
        return (n == 4 || n == 6 || n == 11) && readOnly.contains(name)
    }

    /// `settable.contains(name)`, without hashing names of other lengths.
    static func isSettable(_ name: String) -> Bool {
        let n = name.utf8.count
        return (n == 5 || n == 8) && settable.contains(name)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Unicode.Scalar {
    var isASCIIDigit: Bool { value >= 48 && value <= 57 }
    var isASCIILower: Bool { value >= 97 && value <= 122 }
    var isASCIILetter: Bool { isASCIILower || (value >= 65 && value <= 90) }
}
