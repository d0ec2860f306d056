/// Evaluates a `branch.if` expression against the call's variables
/// (flow-language.md 5.2). It never traps: whatever the checker would have
/// rejected still yields a value.
///
/// Semantics:
/// - A variable is its string value; an unset variable reads as `""`.
/// - `==` / `!=`: numbers compare numerically; a string and a number compare
///   numerically when the string is numeric (`"007" == 7`), else they differ;
///   two strings compare exactly (`"007" != "7"`); booleans compare with
///   booleans; any other mix differs.
/// - `< <= > >=` compare numbers: both sides must be numbers or numeric
///   strings; if either is not, the comparison is false.
/// - Numbers are exact decimals (`ExactNumber`), never doubles: a 20-digit
///   account number compares digit by digit, `"9007199254740993" >
///   9007199254740992` is true.
/// - A numeric string is optional `+`/`-`, digits, and optionally `.` and
///   more digits (`"42"`, `"-3.5"`; not `"1e3"`, `" 4"` or `""`).
/// - `and`, `or` short-circuit; `and`, `or`, `not` treat a non-boolean as
///   true when it is a non-empty string or a non-zero number.
/// - `len(x)`: the number of characters of `x`. `starts_with(x, p)`: `x`
///   begins with `p`. `matches(x, re)`: `re` (a `Pattern`) matches somewhere
///   in `x` (a search: anchor it with `^...$` for the whole value); false
///   when `re` does not compile. `num(x)`: `x` as a number, **0
///   when it is not numeric** (so `num(caller) > 0` is a safe test).
///   `open(name)`: asks the `open` closure.
/// - An unknown function or a wrong argument count yields `false`.
public enum ExpressionEvaluator {
    /// A value during evaluation.
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        case string(String)
        case number(ExactNumber)
        case bool(Bool)

        /// The value as text: numbers without a needless `.0`.
        public var text: String {
            switch self {
            case .string(let s): s
            case .number(let n): n.description
            case .bool(let b): b ? "true" : "false"
            }
        }

        /// The value as a number: a number, or a numeric string.
        public var number: ExactNumber? {
            switch self {
            case .number(let n): n
            case .string(let s): ExactNumber(s)
            case .bool: nil
            }
        }

        public var isTruthy: Bool {
            switch self {
            case .bool(let b): b
            case .number(let n): !n.isZero
            case .string(let s): !s.isEmpty
            }
        }

        public var description: String {
            if case .string(let s) = self { return "\"\(s)\"" }
            return text
        }
    }

    /// Evaluates `e`. `lookup` returns a variable's value (nil when unset);
    /// `open` says whether a business-hours schedule is open now.
    public static func evaluate(
        _ e: Expression, lookup: (String) -> String?, open: (String) -> Bool
    ) -> Value {
        switch e {
        case .string(let s, _): return .string(s)
        case .number(let n, _): return .number(n)
        case .bool(let b, _): return .bool(b)
        case .variable(let name, _): return .string(lookup(name) ?? "")
        case .unary(.not, let operand, _):
            return .bool(!evaluate(operand, lookup: lookup, open: open).isTruthy)
        case .binary(.and, let l, let r, _):
            return .bool(evaluate(l, lookup: lookup, open: open).isTruthy && evaluate(r, lookup: lookup, open: open).isTruthy)
        case .binary(.or, let l, let r, _):
            return .bool(evaluate(l, lookup: lookup, open: open).isTruthy || evaluate(r, lookup: lookup, open: open).isTruthy)
        case .binary(let op, let l, let r, _):
            return .bool(compare(op, evaluate(l, lookup: lookup, open: open), evaluate(r, lookup: lookup, open: open)))
        case .call(let name, let arguments, _):
            let values = arguments.map { evaluate($0, lookup: lookup, open: open) }
            return call(name.value, values, open: open)
        }
    }

    /// Applies a comparison operator (not `and`/`or`).
    public static func compare(_ op: Expression.BinaryOperator, _ a: Value, _ b: Value) -> Bool {
        switch op {
        case .equal: return equal(a, b)
        case .notEqual: return !equal(a, b)
        case .and: return a.isTruthy && b.isTruthy
        case .or: return a.isTruthy || b.isTruthy
        case .less, .lessEqual, .greater, .greaterEqual:
            guard let x = a.number, let y = b.number else { return false }
            switch op {
            case .less: return x < y
            case .lessEqual: return x <= y
            case .greater: return x > y
            default: return x >= y
            }
        }
    }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.number, .number), (.number, .string), (.string, .number):
            a.number.flatMap { x in b.number.map { x == $0 } } ?? false
        default: false
        }
    }

    static func call(_ name: String, _ args: [Value], open: (String) -> Bool) -> Value {
        switch (name, args.count) {
        case ("len", 1): .number(ExactNumber(args[0].text.count))
        case ("starts_with", 2): .bool(args[0].text.hasPrefix(args[1].text))
        case ("matches", 2): .bool((try? Pattern(args[1].text))?.matches(args[0].text) ?? false)
        case ("num", 1): .number(args[0].number ?? .zero)
        case ("open", 1): .bool(open(args[0].text))
        default: .bool(false)
        }
    }

    /// The value of a numeric string (`[+-]?[0-9]+(\.[0-9]+)?`) as the
    /// nearest `Double`, else nil. Comparisons use `ExactNumber` instead.
    public static func numericValue(of s: String) -> Double? {
        ExactNumber(s)?.doubleValue
    }
}
