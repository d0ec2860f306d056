/// A number in a condition, kept as its exact decimal digits (flow-language.md
/// 5.2: "ordering compares numbers; a digits string compared with a number is
/// compared as a number").
///
/// Account and card numbers have 16 digits and more, past the 2^53 where a
/// `Double` stops telling neighbours apart, so numbers are never doubles:
/// `"9007199254740993" > 9007199254740992` is true and `"007" == 7` too.
/// A value is normalized on creation (sign, no leading zeros in the whole
/// part, no trailing zeros in the fraction, no negative zero), so equality is
/// equality of the parts and ordering compares signs, then the length of the
/// whole part, then the digits: exact for any length, integer or decimal.
/// Conditions have no exponents (`1e3` is not a number), so nothing falls
/// back to floating point.
public struct ExactNumber: Sendable, Hashable {
    /// Below zero (never for zero).
    public private(set) var isNegative: Bool
    /// Digits before the point as ASCII, without leading zeros (empty for 0).
    private var whole: [UInt8]
    /// Digits after the point as ASCII, without trailing zeros.
    private var fraction: [UInt8]

    public static let zero = ExactNumber(negative: false, whole: [], fraction: [])

    private init(negative: Bool, whole: some Collection<UInt8>, fraction: some Collection<UInt8>) {
        let w = whole.drop { $0 == UInt8(ascii: "0") }
        var f = Array(fraction)
        while f.last == UInt8(ascii: "0") { f.removeLast() }
        self.whole = Array(w)
        self.fraction = f
        isNegative = negative && !(self.whole.isEmpty && f.isEmpty)
    }

    /// Parses a numeric string: optional `+` or `-`, digits, and optionally
    /// `.` and more digits (`"42"`, `"-3.5"`, `"007"`). Nil for anything else
    /// (`""`, `"1."`, `".5"`, `"1e3"`, `" 4"`).
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        func digits() -> Range<Int> {
            let start = i
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
            return start..<i
        }
        let whole = digits()
        guard !whole.isEmpty else { return nil }
        var fraction = i..<i
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            fraction = digits()
            guard !fraction.isEmpty else { return nil }
        }
        guard i == bytes.count else { return nil }
        self.init(negative: negative, whole: bytes[whole], fraction: bytes[fraction])
    }

    /// The exact value of an integer.
    public init(_ n: Int) {
        self.init(negative: n < 0, whole: Array(String(n.magnitude).utf8), fraction: [])
    }

    /// The shortest decimal that reads back as `d` (what Swift prints for
    /// it: `0.1` for 0.1, not its binary expansion); zero for NaN and the
    /// infinities. Only number literals written in Swift come this way.
    public init(_ d: Double) {
        guard d.isFinite else { self = .zero; return }
        // Swift prints "42.0", "-3.5", "1e+16", "1.2345e-07": shift the point.
        let text = d.magnitude.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0].split(separator: ".", maxSplits: 1)
        var digits = Array(mantissa[0].utf8) + (mantissa.count > 1 ? Array(mantissa[1].utf8) : [])
        var point = mantissa[0].utf8.count + (parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
        if point < 0 {
            digits = Array(repeating: UInt8(ascii: "0"), count: -point) + digits
            point = 0
        }
        if point > digits.count { digits += Array(repeating: UInt8(ascii: "0"), count: point - digits.count) }
        self.init(negative: d < 0, whole: digits[..<point], fraction: digits[point...])
    }

    public var isZero: Bool { whole.isEmpty && fraction.isEmpty }

    /// Whether there are digits after the point.
    public var isInteger: Bool { fraction.isEmpty }

    /// The nearest `Double` (for display and arithmetic elsewhere, never for comparing).
    public var doubleValue: Double { Double(description) ?? 0 }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// Compares magnitudes: -1, 0 or 1.
    private static func compareMagnitude(_ a: ExactNumber, _ b: ExactNumber) -> Int {
        if a.whole.count != b.whole.count { return a.whole.count < b.whole.count ? -1 : 1 }
        for (x, y) in zip(a.whole, b.whole) where x != y { return x < y ? -1 : 1 }
        // No trailing zeros, so a fraction that is a prefix of the other is smaller.
        for (x, y) in zip(a.fraction, b.fraction) where x != y { return x < y ? -1 : 1 }
        return a.fraction.count == b.fraction.count ? 0 : (a.fraction.count < b.fraction.count ? -1 : 1)
    }
}

extension ExactNumber: Comparable {
    public static func < (a: ExactNumber, b: ExactNumber) -> Bool {
        if a.isNegative != b.isNegative { return a.isNegative }
        let order = compareMagnitude(a, b)
        return a.isNegative ? order > 0 : order < 0
    }
}

extension ExactNumber: CustomStringConvertible {
    /// The number as a flow author would write it: `42`, `-3.5`, `0.25`,
    /// every digit kept (`12345678901234567890`).
    public var description: String {
        var bytes: [UInt8] = isNegative ? [UInt8(ascii: "-")] : []
        bytes += whole.isEmpty ? [UInt8(ascii: "0")] : whole
        if !fraction.isEmpty { bytes += [UInt8(ascii: ".")] + fraction }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension ExactNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
    public init(floatLiteral value: Double) { self.init(value) }
}
