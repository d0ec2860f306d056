/// The type YAML 1.2's core schema gives a scalar: a quoted scalar is
/// always a string; a plain one may read as null, a boolean, an integer or
/// a float. ivrc types values itself (see `YAMLNode`), but two mapping keys
/// are the same key only when YAML would say so: `1` (an integer) and `"1"`
/// (a string) are two keys, so a menu that has both gets E102, not E002.
public enum YAMLCoreType: Sendable, Equatable {
    case null, bool, int, float, string

    public init(_ text: some StringProtocol, style: YAMLNode.ScalarStyle) {
        guard style == .plain else {
            self = .string
            return
        }
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE", "false", "False", "FALSE": self = .bool
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            self = .float
        default:
            if Self.isInteger(text) {
                self = .int
            } else if Self.isFloat(text) {
                self = .float
            } else {
                self = .string
            }
        }
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
    static func isInteger(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            let rest = bytes[2...]
            if bytes[1] == UInt8(ascii: "o") { return rest.allSatisfy { (0x30...0x37).contains($0) } }
            if bytes[1] == UInt8(ascii: "x") {
                return rest.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0 & 0xDF) }
            }
        }
        let digits = bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") ? bytes.dropFirst() : bytes[...]
        return !digits.isEmpty && digits.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
    static func isFloat(_ text: some StringProtocol) -> Bool {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            let n = bytes.prefix { (0x30...0x39).contains($0) }.count
            bytes = bytes.dropFirst(n)
            return n
        }
        var mantissa = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
