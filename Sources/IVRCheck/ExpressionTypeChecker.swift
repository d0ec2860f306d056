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

    public init(file: String, schedules: Set<String>) {
        self.file = file
        self.schedules = schedules
    }

    /// The diagnostics for a condition, in source order.
    public func check(condition: Expression) -> [Diagnostic] {
        var found: [Diagnostic] = []
        if let type = infer(condition, &found), type != .bool {
            found.append(.notACondition(condition, type, file: file))
        }
        return Diagnostic.sortedForOutput(found)
    }

    // MARK: Inference

    fileprivate enum ValueType: Equatable {
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
            found.append(.unknownFunction(name, known: Self.functions.map(\.name), file: file))
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
                found.append(.unknownSchedule(name, range: range, known: schedules.sorted(), file: file))
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
                found.append(.invalidRegex(source, error, range: range, file: file))
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

// MARK: - Diagnostics

private typealias ValueType = ExpressionTypeChecker.ValueType

fileprivate extension Diagnostic {
    /// `'tier'`, `"gold"`, `len(x)`: short enough to quote, else "this".
    static func quote(_ e: Expression) -> String {
        let text = e.description
        return text.count <= 40 ? "'\(text)'" : "this expression"
    }

    static func notACondition(_ e: Expression, _ type: ValueType, file: String) -> Diagnostic {
        var help = "compare it, e.g. x == \"yes\", or test that it is set: x != \"\""
        if case .variable(let name, _) = e { help = "compare it, e.g. \(name) == \"yes\", or test that it is set: \(name) != \"\"" }
        if type == .number { help = "compare it, e.g. \(e) > 0" }
        return Diagnostic(.E401, "a condition must be true or false, but \(quote(e)) is \(type.phrase)",
                          file: file, range: e.range, help: help)
    }

    static func logicOnNonBoolean(_ op: String, _ operand: Expression, _ type: ValueType, file: String) -> Diagnostic {
        var help: String?
        if case .variable(let name, _) = operand { help = "variables are strings; compare it, e.g. \(name) == \"yes\"" }
        return Diagnostic(.E401, "'\(op)' needs true/false, but \(quote(operand)) is \(type.phrase)",
                          file: file, range: operand.range, help: help)
    }

    static func orderingNonNumber(_ op: Expression.BinaryOperator, _ side: Expression, _ type: ValueType, file: String) -> Diagnostic {
        let what = type == .bool ? "true/false" : "a string that is not a number"
        return Diagnostic(.E401, "'\(op.rawValue)' compares numbers, but \(quote(side)) is \(what)",
                          file: file, range: side.range, help: type == .string ? "use '==' or '!=' to compare strings" : nil)
    }

    static func mixedComparison(_ op: Expression.BinaryOperator, _ l: ValueType, _ r: ValueType, range: SourceRange, file: String) -> Diagnostic {
        Diagnostic(.E401, "'\(op.rawValue)' compares \(l.phrase) with \(r.phrase); the result never changes",
                   file: file, range: range, help: "variables are strings: write \"true\" in quotes to compare text")
    }

    static func alwaysDifferent(_ op: Expression.BinaryOperator, _ literal: (String, SourceRange), file: String) -> Diagnostic {
        Diagnostic(.E401, "'\(op.rawValue)' compares a number with \"\(literal.0)\", which is not a number; the result never changes",
                   file: file, range: literal.1)
    }

    static func unknownFunction(_ name: Located<String>, known: [String], file: String) -> Diagnostic {
        let help = closestMatch(to: name.value, in: known).map { "did you mean '\($0)'?" }
            ?? "the functions are \(known.joined(separator: ", "))"
        let fix = closestMatch(to: name.value, in: known).map {
            FixIt(message: "replace with '\($0)'", range: name.range, replacement: $0)
        }
        return Diagnostic(.E403, "unknown function '\(name.value)'", file: file, range: name.range, help: help, fix: fix)
    }

    static func wrongArgumentCount(_ name: String, expected: Int, got: Int, range: SourceRange, file: String) -> Diagnostic {
        let takes = expected == 1 ? "1 argument" : "\(expected) arguments"
        let given = got == 1 ? "1 was given" : "\(got) were given"
        return Diagnostic(.E403, "\(name)() takes \(takes), but \(given)", file: file, range: range)
    }

    static func wrongArgumentType(_ function: String, position: Int, _ argument: Expression, _ type: ValueType, file: String) -> Diagnostic {
        let ordinal = ["first", "second", "third"][min(position, 2)]
        var help: String?
        if case .number(let n, _) = argument { help = "write it in quotes: \"\(n)\"" }
        return Diagnostic(.E401, "the \(ordinal) argument of \(function)() must be a string, but \(quote(argument)) is \(type.phrase)",
                          file: file, range: argument.range, help: help)
    }

    static func scheduleNotLiteral(_ argument: Expression, file: String) -> Diagnostic {
        Diagnostic(.E404, "open() needs a schedule name in quotes, like open(\"support\")", file: file, range: argument.range)
    }

    static func unknownSchedule(_ name: String, range: SourceRange, known: [String], file: String) -> Diagnostic {
        let help: String
        if known.isEmpty {
            help = "this flow has no 'hours' section; define the schedule under 'hours:'"
        } else if let guess = closestMatch(to: name, in: known) {
            help = "did you mean '\(guess)'?"
        } else {
            help = "the schedules are \(known.joined(separator: ", "))"
        }
        let fix = closestMatch(to: name, in: known).map {
            FixIt(message: "replace with '\($0)'", range: range, replacement: "\"\($0)\"")
        }
        return Diagnostic(.E404, "no business-hours schedule named '\(name)'", file: file, range: range, help: help, fix: fix)
    }

    static func regexNotLiteral(_ argument: Expression, file: String) -> Diagnostic {
        Diagnostic(.E406, "the pattern given to matches() must be a string literal, like matches(x, \"^[0-9]+$\")",
                   file: file, range: argument.range)
    }

    static func invalidRegex(_ source: String, _ error: PatternError, range: SourceRange, file: String) -> Diagnostic {
        var notes: [Note] = []
        // When the literal stands in the file exactly as its value (quotes, no
        // escapes), point a note at the offending character too.
        let scalars = Array(source.unicodeScalars)
        if range.start.line == range.end.line,
           range.end.column - range.start.column == scalars.count + 2,
           range.end.offset - range.start.offset == source.utf8.count + 2 {
            let before = scalars.prefix(error.offset)
            var at = range.start
            at.column += 1 + before.count
            at.offset += 1 + before.reduce(0) { $0 + UTF8.width($1) }
            let width = error.offset < scalars.count ? UTF8.width(scalars[error.offset]) : 0
            let end = SourceLocation(line: at.line, column: at.column + (width > 0 ? 1 : 0), offset: at.offset + width)
            notes.append(Note("here", file: file, range: SourceRange(start: at, end: end)))
        }
        return Diagnostic(.E406, "invalid regex: \(error.message)", file: file, range: range, notes: notes)
    }
}
