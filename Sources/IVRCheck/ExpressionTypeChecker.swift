import IVRSyntax

/// Checks one `branch.if` condition (flow-language.md 5.2): types (E401),
/// function names and argument counts (E403), schedule names given to
/// `open()` (E404) and the regexes given to `matches()` (E406).
///
/// Variables are strings; `len` and `num` give numbers; comparisons,
/// `starts_with`, `matches`, `open`, `true` and `false` give booleans. A
/// sub-expression that already has an error has no type, so its parents stay
/// quiet (one root cause, one diagnostic).
public struct ExpressionTypeChecker {
    public let file: String
    public let schedules: Set<String>
    /// Where the condition's characters stand in the file (nil: the
    /// condition's text stands there as written, as in tests).
    private var map: ScalarSourceMap?

    public init(file: String, schedules: Set<String>) {
        self.file = file
        self.schedules = schedules
    }

    /// The diagnostics for a condition, in source order. `source` is the
    /// map the condition was parsed with: with it, notes and fix-its point
    /// inside string literals through the scalar's escapes; an inexact map
    /// gives no fix-its (the ranges are only the scalar's).
    public func check(condition: Expression, source: ScalarSourceMap? = nil) -> [Diagnostic] {
        var checker = self
        checker.map = source
        var found: [Diagnostic] = []
        if let type = checker.infer(condition, &found), type != .bool {
            found.append(.notACondition(condition, type, file: file))
        }
        return Diagnostic.sortedForOutput(found)
    }

    /// Whether ranges are exact, so that fix-its may replace text inside the condition.
    private var exact: Bool { map?.isExact ?? true }

    /// Where the characters of the string literal at `range` stand: through
    /// the map, or (without one) counted from its opening quote when it
    /// stands in the file as written.
    private func literal(_ value: String, at range: SourceRange) -> ScalarSourceMap? {
        if let map { return map.stringLiteral(at: range) }
        guard range.start.line == range.end.line,
              range.end.column - range.start.column == value.unicodeScalars.count + 2,
              range.end.offset - range.start.offset == value.utf8.count + 2 else { return nil }
        var origin = range.start
        origin.column += 1
        origin.offset += 1
        return .verbatim(value, origin: origin)
    }

    // MARK: Inference

    enum ValueType: Equatable {
        case string, number, bool

        var phrase: String {
            switch self {
            case .string: "a string"
            case .number: "a number"
            case .bool: "true/false"
            }
        }
    }

    private func infer(_ e: Expression, _ found: inout [Diagnostic]) -> ValueType? {
        switch e {
        case .string: return .string
        case .number: return .number
        case .bool: return .bool
        case .variable: return .string
        case .unary(.not, let operand, _):
            guard let type = infer(operand, &found) else { return nil }
            if type != .bool {
                found.append(.logicOnNonBoolean("not", operand, type, file: file))
                return nil
            }
            return .bool
        case .binary(let op, let left, let right, _):
            let l = infer(left, &found)
            let r = infer(right, &found)
            guard let l, let r else { return nil }
            var ok = true
            if op.isOrdering {
                for (side, type) in [(left, l), (right, r)] where !isNumeric(side, type) {
                    found.append(.orderingNonNumber(op, side, type, file: file))
                    ok = false
                }
            } else if op.isComparison {
                if (l == .bool) != (r == .bool) {
                    found.append(.mixedComparison(op, l, r, range: e.range, file: file))
                    ok = false
                } else if let literal = nonNumericLiteral(l == .number ? right : left), l != r {
                    found.append(.alwaysDifferent(op, literal, file: file))
                    ok = false
                }
            } else {
                for (side, type) in [(left, l), (right, r)] where type != .bool {
                    found.append(.logicOnNonBoolean(op.rawValue, side, type, file: file))
                    ok = false
                }
            }
            return ok ? .bool : nil
        case .call(let name, let arguments, let range):
            return inferCall(name, arguments, range: range, &found)
        }
    }

    /// A number, a numeric string literal, or a string known only at run time.
    private func isNumeric(_ e: Expression, _ type: ValueType) -> Bool {
        switch type {
        case .number: true
        case .bool: false
        case .string: nonNumericLiteral(e) == nil
        }
    }

    private func nonNumericLiteral(_ e: Expression) -> (String, SourceRange)? {
        if case .string(let s, let range) = e, ExpressionEvaluator.numericValue(of: s) == nil { return (s, range) }
        return nil
    }

    // MARK: Functions

    private enum Parameter { case string, stringOrNumber, scheduleName, regex }

    private static let functions: [(name: String, parameters: [Parameter], result: ValueType)] = [
        ("open", [.scheduleName], .bool),
        ("len", [.string], .number),
        ("starts_with", [.string, .string], .bool),
        ("matches", [.string, .regex], .bool),
        ("num", [.stringOrNumber], .number),
    ]

    private func inferCall(
        _ name: Located<String>, _ arguments: [Expression], range: SourceRange, _ found: inout [Diagnostic]
    ) -> ValueType? {
        guard let function = Self.functions.first(where: { $0.name == name.value }) else {
            found.append(.unknownFunction(name, known: Self.functions.map(\.name), exact: exact, file: file))
            for argument in arguments { _ = infer(argument, &found) }
            return nil
        }
        guard arguments.count == function.parameters.count else {
            found.append(.wrongArgumentCount(name.value, expected: function.parameters.count, got: arguments.count,
                                             range: range, file: file))
            for argument in arguments { _ = infer(argument, &found) }
            return nil
        }
        var ok = true
        for (position, (argument, parameter)) in zip(arguments, function.parameters).enumerated() {
            ok = check(argument, as: parameter, of: name.value, position: position, &found) && ok
        }
        return ok ? function.result : nil
    }

    private func check(
        _ argument: Expression, as parameter: Parameter, of function: String, position: Int,
        _ found: inout [Diagnostic]
    ) -> Bool {
        switch parameter {
        case .scheduleName:
            guard case .string(let name, let range) = argument else {
                found.append(.scheduleNotLiteral(argument, file: file))
                return false
            }
            if !schedules.contains(name) {
                found.append(.unknownSchedule(name, range: range, known: schedules.sorted(),
                                              literal: exact ? literal(name, at: range) : nil, file: file))
                return false
            }
            return true
        case .regex:
            guard case .string(let source, let range) = argument else {
                found.append(.regexNotLiteral(argument, file: file))
                return false
            }
            do throws(PatternError) {
                _ = try Pattern(source)
                return true
            } catch {
                found.append(.invalidRegex(error, range: range, literal: literal(source, at: range), file: file))
                return false
            }
        case .string, .stringOrNumber:
            guard let type = infer(argument, &found) else { return false }
            if type == .string || (type == .number && parameter == .stringOrNumber) { return true }
            found.append(.wrongArgumentType(function, position: position, argument, type, file: file))
            return false
        }
    }
}

